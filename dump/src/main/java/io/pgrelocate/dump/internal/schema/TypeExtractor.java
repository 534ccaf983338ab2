package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Enum, domain, composite and range types. */
final class TypeExtractor {
    static final long PG_TYPE = 1247;
    static final long PG_CONSTRAINT = 2606;
    static final long PG_CLASS = 1259;

    private TypeExtractor() {
    }

    private static String userTypes(String kinds) {
        return "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN (" + kinds + ") AND "
                + Catalog.userSchema("t.typnamespace") + " AND " + Catalog.notExtensionMember("pg_type", "t.oid");
    }

    static List<CatalogObject> all(Catalog catalog) throws SQLException {
        List<CatalogObject> out = new ArrayList<>();
        out.addAll(enums(catalog));
        out.addAll(domains(catalog));
        out.addAll(composites(catalog));
        out.addAll(ranges(catalog));
        out.addAll(shells(catalog));
        return out;
    }

    private static Set<CatalogKey> keys(long typeOid, long arrayOid) {
        Set<CatalogKey> keys = new HashSet<>();
        keys.add(new CatalogKey(PG_TYPE, typeOid));
        if (arrayOid != 0) {
            keys.add(new CatalogKey(PG_TYPE, arrayOid));
        }
        return keys;
    }

    private static List<CatalogObject> enums(Catalog catalog) throws SQLException {
        String sql = "SELECT t.oid, t.typarray, n.nspname, t.typname, ARRAY(SELECT e.enumlabel FROM pg_enum e "
                + "WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) " + userTypes("'e'") + " ORDER BY 3, 4";
        return catalog.query(sql, rs -> {
            String[] labels = (String[]) rs.getArray(5).getArray();
            String list = java.util.Arrays.stream(labels).map(Sql::literal).collect(Collectors.joining(", "));
            String name = Sql.qualified(rs.getString(3), rs.getString(4));
            return new CatalogObject(ObjectKind.TYPE, "type " + rs.getString(3) + "." + rs.getString(4),
                    List.of("CREATE TYPE " + name + " AS ENUM (" + list + ")"), keys(rs.getLong(1), rs.getLong(2)));
        });
    }

    private static List<CatalogObject> domains(Catalog catalog) throws SQLException {
        String sql = "SELECT t.oid, t.typarray, n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), "
                + "t.typnotnull, pg_get_expr(t.typdefaultbin, 0), CASE WHEN t.typcollation <> 0 AND t.typcollation <> "
                + "(SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype) THEN (SELECT "
                + CatalogNames.pair("cn.nspname", "co.collname") + " FROM pg_collation co JOIN pg_namespace cn ON "
                + "cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END, ARRAY(SELECT ARRAY[c.conname::text, "
                + "pg_get_constraintdef(c.oid)] FROM pg_constraint c WHERE c.contypid = t.oid AND c.convalidated "
                + "ORDER BY c.contype DESC, c.conname), "
                + "ARRAY(SELECT c.oid FROM pg_constraint c WHERE c.contypid = t.oid), "
                // NOT VALID checks cannot be declared in CREATE DOMAIN; 17+ keeps NOT NULL as a named constraint too
                + "ARRAY(SELECT ARRAY[c.conname::text, pg_get_constraintdef(c.oid)] FROM pg_constraint c "
                + "WHERE c.contypid = t.oid AND NOT c.convalidated ORDER BY c.conname), "
                + "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'n') " + userTypes("'d'")
                + " ORDER BY 3, 4";
        return catalog.query(sql, rs -> {
            StringBuilder ddl = new StringBuilder("CREATE DOMAIN ").append(Sql.qualified(rs.getString(3),
                    rs.getString(4))).append(" AS ").append(rs.getString(5));
            if (rs.getArray(8) != null) {
                ddl.append(" COLLATE ").append(CatalogNames.qualified(rs, 8));
            }
            if (rs.getString(7) != null) {
                ddl.append(" DEFAULT ").append(rs.getString(7));
            }
            if (rs.getBoolean(6) && !rs.getBoolean(12)) {
                ddl.append(" NOT NULL");
            }
            for (String c : CatalogNames.named("CONSTRAINT ", rs, 9)) {
                ddl.append(' ').append(c);
            }
            Set<CatalogKey> keys = keys(rs.getLong(1), rs.getLong(2));
            for (Long c : (Long[]) rs.getArray(10).getArray()) {
                keys.add(new CatalogKey(PG_CONSTRAINT, c));
            }
            List<String> statements = new ArrayList<>();
            statements.add(ddl.toString());
            String name = Sql.qualified(rs.getString(3), rs.getString(4));
            for (String c : CatalogNames.named("ADD CONSTRAINT ", rs, 11)) {
                statements.add("ALTER DOMAIN " + name + " " + c);
            }
            return new CatalogObject(ObjectKind.TYPE, "domain " + rs.getString(3) + "." + rs.getString(4), statements, keys);
        });
    }

    private static List<CatalogObject> composites(Catalog catalog) throws SQLException {
        String sql = "SELECT t.oid, t.typarray, n.nspname, t.typname, t.typrelid, ARRAY(SELECT ARRAY[a.attname::text, "
                + "format_type(a.atttypid, a.atttypmod), cn.nspname::text, co.collname::text] FROM pg_attribute a "
                + "LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> (SELECT typcollation "
                + "FROM pg_type WHERE oid = a.atttypid) LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace "
                + "WHERE a.attrelid = t.typrelid "
                + "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) " + userTypes("'c'")
                + " AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c' ORDER BY 3, 4";
        return catalog.query(sql, rs -> {
            String attrs = CatalogNames.rows(rs, 6).stream().map(a -> Sql.ident(a[0]) + " " + a[1]
                    + (a[3] == null ? "" : " COLLATE " + Sql.qualified(a[2], a[3]))).collect(Collectors.joining(", "));
            Set<CatalogKey> keys = keys(rs.getLong(1), rs.getLong(2));
            keys.add(new CatalogKey(PG_CLASS, rs.getLong(5)));
            return new CatalogObject(ObjectKind.TYPE, "type " + rs.getString(3) + "." + rs.getString(4),
                    List.of("CREATE TYPE " + Sql.qualified(rs.getString(3), rs.getString(4)) + " AS (" + attrs + ")"),
                    keys);
        });
    }

    private static List<CatalogObject> ranges(Catalog catalog) throws SQLException {
        String multirange = catalog.version() >= 140000 ? "r.rngmultitypid" : "0";
        String sql = "SELECT t.oid, t.typarray, n.nspname, t.typname, format_type(r.rngsubtype, NULL), "
                + "CASE WHEN r.rngsubopc <> (SELECT oc.oid FROM pg_opclass oc WHERE oc.opcintype = r.rngsubtype "
                + "AND oc.opcdefault AND oc.opcmethod = (SELECT oid FROM pg_am WHERE amname = 'btree') LIMIT 1) "
                + "THEN (SELECT " + CatalogNames.pair("ocn.nspname", "oc.opcname") + " FROM pg_opclass oc JOIN pg_namespace ocn "
                + "ON ocn.oid = oc.opcnamespace WHERE oc.oid = r.rngsubopc) END, "
                + "CASE WHEN r.rngcollation <> 0 THEN (SELECT " + CatalogNames.pair("cn.nspname", "co.collname") + " FROM pg_collation "
                + "co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation) END, "
                + "NULLIF(r.rngcanonical, 0)::regproc::text, NULLIF(r.rngsubdiff, 0)::regproc::text, "
                + "(SELECT " + CatalogNames.pair("mn.nspname", "m.typname") + " FROM pg_type m JOIN pg_namespace mn ON mn.oid = "
                + "m.typnamespace WHERE m.oid = " + multirange + "), " + multirange + ", "
                + "(SELECT m.typarray FROM pg_type m WHERE m.oid = " + multirange + ") "
                + userTypes("'r'").replace("FROM pg_type t", "FROM pg_type t JOIN pg_range r ON r.rngtypid = t.oid")
                + " ORDER BY 3, 4";
        List<CatalogObject> out = new ArrayList<>();
        catalog.query(sql, rs -> {
            StringBuilder ddl = new StringBuilder("CREATE TYPE ").append(Sql.qualified(rs.getString(3),
                    rs.getString(4))).append(" AS RANGE (SUBTYPE = ").append(rs.getString(5));
            append(ddl, "SUBTYPE_OPCLASS", CatalogNames.qualified(rs, 6));
            append(ddl, "COLLATION", CatalogNames.qualified(rs, 7));
            append(ddl, "CANONICAL", rs.getString(8));
            append(ddl, "SUBTYPE_DIFF", rs.getString(9));
            append(ddl, "MULTIRANGE_TYPE_NAME", CatalogNames.qualified(rs, 10));
            Set<CatalogKey> keys = keys(rs.getLong(1), rs.getLong(2));
            for (int column = 11; column <= 12; column++) {
                if (rs.getLong(column) != 0) {
                    keys.add(new CatalogKey(PG_TYPE, rs.getLong(column)));
                }
            }
            String display = rs.getString(3) + "." + rs.getString(4);
            // a canonical function takes and returns the range: CREATE TYPE wants it made over a shell, as a base type
            boolean overShell = rs.getString(8) != null && !rs.getString(8).equals("-");
            if (overShell) {
                out.add(new CatalogObject(ObjectKind.SHELL_TYPE, "shell type " + display, List.of("CREATE TYPE "
                        + Sql.qualified(rs.getString(3), rs.getString(4))), Set.of()));
            }
            out.add(new CatalogObject(overShell ? ObjectKind.BASE_TYPE : ObjectKind.TYPE, "type " + display,
                    List.of(ddl.append(')').toString()), keys));
            return null;
        });
        return out;
    }

    /** Shell types ({@code CREATE TYPE name;}) that nothing completed. */
    private static List<CatalogObject> shells(Catalog catalog) throws SQLException {
        String sql = "SELECT t.oid, n.nspname, t.typname " + userTypes("'p'") + " AND NOT t.typisdefined ORDER BY 2, 3";
        return catalog.query(sql, rs -> new CatalogObject(ObjectKind.TYPE, "type " + rs.getString(2) + "."
                + rs.getString(3), List.of("CREATE TYPE " + Sql.qualified(rs.getString(2), rs.getString(3))),
                keys(rs.getLong(1), 0)));
    }

    private static void append(StringBuilder ddl, String option, String value) {
        if (value != null && !value.equals("-")) {
            ddl.append(", ").append(option).append(" = ").append(value);
        }
    }
}
