package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads every column of the user tables in one query. */
final class ColumnReader {
    private ColumnReader() {
    }

    /** Columns by table oid, in column order; also the oids of the column defaults, by table oid. */
    record Columns(Map<Long, List<ColumnDef>> byTable, Map<Long, List<Long>> defaultOids) {
    }

    /**
     * Whether an inherited (not partition) column's generation expression is its parent's: then the child's
     * CREATE TABLE lists the column without it, as the server refuses an expression on a child column (15) and
     * the merge with the parent brings it.
     */
    private static final String INHERITED_GENERATION = "a.attinhcount > 0 AND a.attgenerated <> '' AND NOT c.relispartition "
            + "AND pg_get_expr(d.adbin, d.adrelid) IS NOT DISTINCT FROM (SELECT pg_get_expr(pd.adbin, pd.adrelid) "
            + "FROM pg_inherits i JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname "
            + "JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum WHERE i.inhrelid = a.attrelid "
            + "ORDER BY i.inhseqno LIMIT 1)";

    static Columns read(Catalog catalog) throws SQLException {
        String sql = "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, "
                + "CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN (SELECT "
                + CatalogNames.pair("cn.nspname", "co.collname") + " FROM pg_collation co JOIN pg_namespace cn ON "
                + "cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END, " + notNull(catalog) + ", pg_get_expr(d.adbin, "
                + "d.adrelid), a.attgenerated, a.attidentity, (SELECT ARRAY[sn.nspname::text, sc.relname::text, "
                + "format('START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s %s', s.seqstart, "
                + "s.seqincrement, s.seqmin, s.seqmax, s.seqcache, CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' "
                + "END), sc.relpersistence::text] FROM pg_depend dep "
                + "JOIN pg_class sc ON sc.oid = dep.objid JOIN pg_namespace sn ON sn.oid = sc.relnamespace "
                + "JOIN pg_sequence s ON s.seqrelid = sc.oid WHERE dep.classid = 'pg_class'::regclass AND "
                + "dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i' LIMIT 1), "
                + "a.attislocal, d.oid, CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END, "
                + "NULLIF(a.attcompression::text, ''), COALESCE(a.attstattarget::int, -1), "
                + "array_to_string(a.attoptions, ', '), " + Catalog.options("a.attfdwoptions") + ", " + INHERITED_GENERATION
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                + "JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
                + "AND d.adnum = a.attnum WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped "
                + "AND " + Catalog.userSchema("c.relnamespace") + " ORDER BY a.attrelid, a.attnum";
        Map<Long, List<ColumnDef>> byTable = new HashMap<>();
        Map<Long, List<Long>> defaults = new HashMap<>();
        catalog.query(sql, rs -> {
            long table = rs.getLong(1);
            byTable.computeIfAbsent(table, k -> new ArrayList<>()).add(new ColumnDef(rs.getString(2), rs.getString(3),
                    rs.getLong(4), CatalogNames.qualified(rs, 5), notNullClause(rs, 6), rs.getString(7),
                    nonNull(rs.getString(8)), nonNull(rs.getString(9)), identitySequence(rs), identityPersistence(rs),
                    rs.getBoolean(11),
                    new ColumnDef.Details(rs.getString(13), rs.getString(14), rs.getInt(15), rs.getString(16),
                            CatalogNames.options(rs, 17)), rs.getBoolean(18)));
            long def = rs.getLong(12);
            if (def != 0) {
                defaults.computeIfAbsent(table, k -> new ArrayList<>()).add(def);
            }
            return null;
        });
        return new Columns(byTable, defaults);
    }

    /** {@code SEQUENCE NAME "schema"."name" START WITH ...} of an identity column, from its raw parts. */
    private static String identitySequence(java.sql.ResultSet rs) throws SQLException {
        String[] parts = rs.getArray(10) == null ? null : (String[]) rs.getArray(10).getArray();
        return parts == null ? null : "SEQUENCE NAME " + Sql.qualified(parts[0], parts[1]) + " " + parts[2];
    }

    /** The identity sequence's {@code ALTER SEQUENCE ... SET LOGGED|UNLOGGED}, to apply where the target's differs. */
    private static ColumnDef.SequencePersistence identityPersistence(java.sql.ResultSet rs) throws SQLException {
        String[] parts = rs.getArray(10) == null ? null : (String[]) rs.getArray(10).getArray();
        return parts == null ? null : new ColumnDef.SequencePersistence(Sql.qualified(parts[0], parts[1]), parts[3]);
    }

    /**
     * SQL: the column's NOT NULL clause as {@code {constraint name or null, no inherit}}, null for none. From 18 a
     * NOT NULL is a named constraint: a table's own (not inherited) one keeps a name other than the default
     * {@code <table>_<column>_not_null} and its NO INHERIT, and a NOT VALID one is left to the post-data (added NOT
     * VALID like a check), so that it stays unvalidated.
     */
    private static String notNull(Catalog catalog) {
        if (catalog.version() < 180000) {
            return "CASE WHEN a.attnotnull THEN ARRAY[NULL, 'false'] END";
        }
        return "(SELECT CASE WHEN NOT a.attnotnull THEN NULL WHEN k.oid IS NULL OR k.coninhcount > 0 OR NOT k.conislocal "
                + "THEN ARRAY[NULL, 'false'] WHEN NOT k.convalidated THEN NULL ELSE ARRAY[CASE WHEN k.conname <> c.relname "
                + "|| '_' || a.attname || '_not_null' THEN k.conname::text END, k.connoinherit::text] END FROM (SELECT 1) "
                + "one LEFT JOIN pg_constraint k ON k.conrelid = a.attrelid AND k.contype = 'n' AND k.conkey[1] = a.attnum)";
    }

    /** {@code [CONSTRAINT "name"] NOT NULL [NO INHERIT]} from {@link #notNull}'s raw parts, or null. */
    private static String notNullClause(java.sql.ResultSet rs, int column) throws SQLException {
        String[] parts = rs.getArray(column) == null ? null : (String[]) rs.getArray(column).getArray();
        if (parts == null) {
            return null;
        }
        return (parts[0] == null ? "" : "CONSTRAINT " + Sql.ident(parts[0]) + " ") + "NOT NULL"
                + ("true".equals(parts[1]) ? " NO INHERIT" : "");
    }

    private static String nonNull(String s) {
        return s == null || s.equals("\0") ? "" : s.trim();
    }
}
