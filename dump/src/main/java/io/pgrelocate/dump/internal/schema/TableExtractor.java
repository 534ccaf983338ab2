package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tables (plain, unlogged, partitioned, partitions, inheritance children) with their columns and CHECK
 * constraints; indexes, keys and foreign keys come after the data. Also lists the tables whose rows
 * are copied.
 */
final class TableExtractor {
    private TableExtractor() {
    }

    /** A table row of the catalog query. */
    record Table(long oid, long rowType, long arrayType, String schema, String name, String kind,
                         String persistence, String partitionOf, String bound, String partitionKey,
                         List<String> inherits, List<String> checks, List<Long> checkOids, List<String> options,
                         long estimatedRows, long bytes, String accessMethod, String server, String serverOptions,
                         String ofType, boolean ownColumnOrder, List<String> inheritedChecks,
                         boolean foreignDescendant, boolean inheritedLater) {
        String qualified() {
            return Sql.qualified(schema, name);
        }
    }

    record Result(List<CatalogObject> objects, List<TableData> data) {
    }

    /**
     * The tables from their catalog rows ({@link #read}), columns ({@link ColumnReader#read}) and column types, for
     * a target of major {@code targetVersionNum}.
     */
    static Result tables(List<Table> rows, ColumnReader.Columns columns, BinaryCopyCheck binary, int targetVersionNum) {
        List<CatalogObject> objects = new ArrayList<>();
        List<TableData> data = new ArrayList<>();
        for (Table t : rows) {
            List<ColumnDef> cols = columns.byTable().getOrDefault(t.oid(), List.of());
            Set<CatalogKey> owns = new HashSet<>();
            owns.add(new CatalogKey(TypeExtractor.PG_CLASS, t.oid()));
            owns.add(new CatalogKey(TypeExtractor.PG_TYPE, t.rowType()));
            if (t.arrayType() != 0) {
                owns.add(new CatalogKey(TypeExtractor.PG_TYPE, t.arrayType()));
            }
            columns.defaultOids().getOrDefault(t.oid(), List.of())
                    .forEach(d -> owns.add(new CatalogKey(PG_ATTRDEF, d)));
            t.checkOids().forEach(c -> owns.add(new CatalogKey(TypeExtractor.PG_CONSTRAINT, c)));
            List<String> sql = new ArrayList<>();
            sql.add(ddl(t, cols));
            if (t.inheritedLater()) {
                t.inherits().forEach(p -> sql.add("ALTER " + (t.kind().equals("f") ? "FOREIGN " : "") + "TABLE "
                        + t.qualified() + " INHERIT " + p));
            }
            if (t.partitionOf() != null && t.ownColumnOrder()) {
                sql.add("ALTER TABLE " + t.partitionOf() + " ATTACH PARTITION " + t.qualified() + " " + t.bound());
            }
            String alter = (t.kind().equals("f") ? "ALTER FOREIGN TABLE ONLY " : "ALTER TABLE ONLY ") + t.qualified();
            cols.forEach(c -> sql.addAll(c.alterStatements(alter)));
            cols.stream().filter(c -> c.identitySequence() != null && t.partitionOf() == null)
                    .map(c -> c.identitySequence().alterIfDiffers(t.persistence(), targetVersionNum))
                    .filter(java.util.Objects::nonNull).forEach(sql::add);
            objects.add(new CatalogObject(ObjectKind.TABLE, (t.kind().equals("f") ? "foreign table " : "table ")
                    + t.schema() + "." + t.name(), sql, owns));
            if (t.kind().equals("r")) {
                List<String> copied = cols.stream().filter(ColumnDef::isCopied).map(ColumnDef::name).toList();
                boolean binaryOk = cols.stream().filter(ColumnDef::isCopied).allMatch(c -> binary.supports(c.typeOid()));
                data.add(new TableData(t.schema(), t.name(), copied, t.estimatedRows(), t.bytes(), binaryOk,
                        !t.foreignDescendant()));
            }
        }
        return new Result(objects, data);
    }

    static final long PG_ATTRDEF = 2604;

    /**
     * SQL: whether a partition's columns are not in its parent's order (it was attached after being created on its
     * own): PARTITION OF would give it the parent's order, so it is created on its own and attached.
     */
    private static final String OWN_COLUMN_ORDER = "c.relispartition AND ARRAY(SELECT a.attname FROM pg_attribute a "
            + "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) IS DISTINCT FROM "
            + "ARRAY(SELECT a.attname FROM pg_inherits i JOIN pg_attribute a ON a.attrelid = i.inhparent WHERE "
            + "i.inhrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)";

    /**
     * SQL: the access method a table gets without USING: heap, but for a partition made by PARTITION OF its
     * parent's where that has one (a partitioned table's own access method, 17+).
     */
    private static final String DEFAULT_ACCESS_METHOD = "COALESCE(CASE WHEN NOT (" + OWN_COLUMN_ORDER + ") THEN (SELECT "
            + "pa.amname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_am pa ON pa.oid = p.relam "
            + "WHERE i.inhrelid = c.oid AND c.relispartition) END, 'heap')";

    /**
     * SQL: whether an inheritance child's columns are not in the order CREATE TABLE ... INHERITS gives (its parents'
     * columns first, then its own): it was made on its own and INHERIT-ed later, so it is created so and INHERITs.
     */
    private static final String INHERITED_LATER = "NOT c.relispartition AND c.relkind IN ('r', 'f') AND EXISTS (SELECT 1 "
            + "FROM pg_inherits i WHERE i.inhrelid = c.oid) AND ARRAY(SELECT a.attname FROM pg_attribute a WHERE "
            + "a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) IS DISTINCT FROM "
            + "ARRAY(SELECT x.attname FROM (SELECT DISTINCT ON (pa.attname) pa.attname, i.inhseqno, pa.attnum "
            + "FROM pg_inherits i JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attnum > 0 AND NOT "
            + "pa.attisdropped WHERE i.inhrelid = c.oid ORDER BY pa.attname, i.inhseqno, pa.attnum) x ORDER BY "
            + "x.inhseqno, x.attnum) || ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND "
            + "a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0 ORDER BY a.attnum)";

    /** SQL: whether a foreign table inherits from the table, directly or further down. */
    private static final String FOREIGN_DESCENDANT = "c.relhassubclass AND EXISTS (WITH RECURSIVE d(oid) AS "
            + "(SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = c.oid UNION SELECT i.inhrelid FROM pg_inherits "
            + "i JOIN d ON i.inhparent = d.oid) SELECT 1 FROM d JOIN pg_class f ON f.oid = d.oid WHERE f.relkind = 'f')";

    static List<Table> read(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, c.reltype, COALESCE((SELECT typarray FROM pg_type WHERE oid = c.reltype), 0), "
                + "n.nspname, c.relname, c.relkind::text, c.relpersistence::text, "
                + "(SELECT " + CatalogNames.pair("pn.nspname", "p.relname") + " FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
                + "JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition), "
                + "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, "
                + "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
                + "ARRAY(SELECT " + CatalogNames.pair("pn.nspname", "p.relname") + " FROM pg_inherits i JOIN pg_class p "
                + "ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid "
                + "AND NOT c.relispartition ORDER BY i.inhseqno), "
                + "ARRAY(SELECT ARRAY[k.conname::text, pg_get_constraintdef(k.oid)] FROM pg_constraint k "
                + "WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conislocal AND k.convalidated ORDER BY k.conname), "
                + "ARRAY(SELECT k.oid FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c' "
                + "AND k.conislocal AND k.convalidated), COALESCE(c.reloptions, '{}') || ARRAY(SELECT 'toast.' || o "
                + "FROM pg_class tc, unnest(tc.reloptions) o WHERE tc.oid = c.reltoastrelid), "
                + "c.reltuples::bigint, CASE WHEN c.relkind = 'r' THEN (c.relpages::bigint + COALESCE((SELECT tc.relpages "
                + "FROM pg_class tc WHERE tc.oid = c.reltoastrelid), 0)) * current_setting('block_size')::bigint "
                + "ELSE 0 END, "
                + "(SELECT amname FROM pg_am WHERE oid = c.relam AND amname <> " + DEFAULT_ACCESS_METHOD + "), "
                + "(SELECT s.srvname FROM pg_foreign_table f JOIN pg_foreign_server s ON s.oid = f.ftserver "
                + "WHERE f.ftrelid = c.oid), (SELECT " + Catalog.options("f.ftoptions") + " FROM pg_foreign_table f "
                + "WHERE f.ftrelid = c.oid), "
                + "(SELECT " + CatalogNames.pair("tn.nspname", "ty.typname") + " FROM pg_type ty JOIN pg_namespace tn "
                + "ON tn.oid = ty.typnamespace WHERE ty.oid = c.reloftype), " + OWN_COLUMN_ORDER + ", "
                + "ARRAY(SELECT ARRAY[k.conname::text, pg_get_constraintdef(k.oid)] FROM pg_constraint k "
                + "WHERE k.conrelid = c.oid AND k.contype = 'c' AND NOT k.conislocal AND k.convalidated ORDER BY k.conname), "
                + FOREIGN_DESCENDANT + ", " + INHERITED_LATER + " "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f') AND "
                + Catalog.userSchema("c.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "c.oid")
                + " ORDER BY n.nspname, c.relname";
        return catalog.query(sql, rs -> new Table(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), CatalogNames.qualified(rs, 8), rs.getString(9),
                rs.getString(10), CatalogNames.qualifiedList(rs, 11), CatalogNames.named("CONSTRAINT ", rs, 12),
                List.of((Long[]) rs.getArray(13).getArray()), List.of((String[]) rs.getArray(14).getArray()),
                rs.getLong(15), rs.getLong(16), rs.getString(17), rs.getString(18), CatalogNames.options(rs, 19),
                CatalogNames.qualified(rs, 20), rs.getBoolean(21), CatalogNames.named("CONSTRAINT ", rs, 22),
                rs.getBoolean(23), rs.getBoolean(24)));
    }

    private static String ddl(Table t, List<ColumnDef> cols) {
        StringBuilder sb = new StringBuilder("CREATE ");
        if (t.persistence().equals("u")) {
            sb.append("UNLOGGED ");
        }
        sb.append(t.kind().equals("f") ? "FOREIGN TABLE " : "TABLE ").append(t.qualified());
        List<String> elements = new ArrayList<>();
        boolean partitionOf = t.partitionOf() != null && !t.ownColumnOrder();
        if (partitionOf) {
            sb.append(" PARTITION OF ").append(t.partitionOf());
        } else if (t.ofType() != null) {
            // a typed table's columns are its type's: only their defaults and NOT NULL are its own
            sb.append(" OF ").append(t.ofType());
            cols.stream().map(ColumnDef::typedTableOptions).filter(java.util.Objects::nonNull).forEach(elements::add);
        } else {
            for (ColumnDef c : cols) {
                if (t.inheritedLater()) {
                    // every column, in its order, with its own generation expression: INHERIT merges them later
                    elements.add(c.ddl(true, true));
                } else if (c.local() || t.partitionOf() != null) {
                    elements.add(c.ddl(t.partitionOf() == null, false));
                }
            }
        }
        elements.addAll(t.checks());
        if (t.partitionOf() != null && !partitionOf) {
            // ATTACH PARTITION wants the parent's CHECK constraints on the partition already
            elements.addAll(t.inheritedChecks());
        }
        if (!partitionOf && t.ofType() == null || !elements.isEmpty()) {
            sb.append(" (").append(String.join(", ", elements)).append(')');
        }
        if (partitionOf) {
            sb.append(' ').append(t.bound());
        }
        if (!t.inherits().isEmpty() && !t.inheritedLater()) {
            sb.append(" INHERITS (").append(String.join(", ", t.inherits())).append(')');
        }
        if (t.partitionKey() != null) {
            sb.append(" PARTITION BY ").append(t.partitionKey());
        }
        if (t.accessMethod() != null) {
            sb.append(" USING ").append(Sql.ident(t.accessMethod()));
        }
        if (!t.options().isEmpty()) {
            sb.append(" WITH (").append(String.join(", ", t.options())).append(')');
        }
        if (t.server() != null) {
            sb.append(" SERVER ").append(Sql.ident(t.server()));
            if (t.serverOptions() != null) {
                sb.append(" OPTIONS (").append(t.serverOptions()).append(')');
            }
        }
        return sb.toString();
    }
}
