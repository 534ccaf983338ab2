package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Operator families (with their loose members, added by ALTER OPERATOR FAMILY) and operator classes
 * (with the operators and support functions they bring).
 */
final class OperatorClassExtractor {
    private OperatorClassExtractor() {
    }

    /**
     * SQL: the members of the families or classes, one row each: owner (family or class oid), member oid, catalog
     * oid of the member, kind and number (for order), and the member as a text array {@link #member} renders:
     * {@code {OPERATOR, strategy, schema, operator, left type, right type, sort family schema, sort family}} with
     * raw names, or {@code {FUNCTION, text}} (padded) with the function's server-made signature.
     * {@code ownerClass} is {@code pg_opclass} or {@code pg_opfamily}: members bound to a class belong to it,
     * the others (loose) to their family.
     */
    private static String members(String ownerClass) {
        String fnTypes = "format(' (%s, %s) ', format_type(p.amproclefttype, NULL), format_type(p.amprocrighttype, NULL))";
        return "SELECT d.refobjid, o.oid, 2602, 0 AS kind, o.amopstrategy AS num, ARRAY['OPERATOR', "
                + "o.amopstrategy::text, xn.nspname::text, xo.oprname::text, format_type(o.amoplefttype, NULL), "
                + "format_type(o.amoprighttype, NULL), fn.nspname::text, f.opfname::text] FROM pg_amop o "
                + "JOIN pg_operator xo ON xo.oid = o.amopopr JOIN pg_namespace xn ON xn.oid = xo.oprnamespace "
                + "LEFT JOIN pg_opfamily f ON o.amoppurpose = 'o' AND f.oid = o.amopsortfamily "
                + "LEFT JOIN pg_namespace fn ON fn.oid = f.opfnamespace "
                + "JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = o.oid "
                + "AND d.refclassid = '" + ownerClass + "'::regclass "
                + "UNION ALL SELECT d.refobjid, p.oid, 2603, 1, p.amprocnum, ARRAY['FUNCTION', 'FUNCTION ' || "
                + "p.amprocnum || " + fnTypes + " || p.amproc::regprocedure::text, NULL, NULL, NULL, NULL, NULL, NULL] "
                + "FROM pg_amproc p JOIN pg_depend d ON d.classid = "
                + "'pg_amproc'::regclass AND d.objid = p.oid AND d.refclassid = '" + ownerClass + "'::regclass";
    }

    private static final String MEMBER_COLUMNS = " m(owner, oid, cat, kind, num, item) ";

    /** SQL: the members of the family or class {@code owner}, as a two-dimensional array of items. */
    private static String memberItems(String ownerClass, String owner) {
        return "ARRAY(SELECT m.item FROM (" + members(ownerClass) + ")" + MEMBER_COLUMNS + "WHERE m.owner = " + owner
                + " ORDER BY m.kind, m.num, m.item)";
    }

    /** SQL: the {@code catalog:oid} keys of the members of {@code owner}. */
    private static String memberKeys(String ownerClass, String owner) {
        return "ARRAY(SELECT m.cat || ':' || m.oid FROM (" + members(ownerClass) + ")" + MEMBER_COLUMNS
                + "WHERE m.owner = " + owner + ")";
    }

    /** {@code OPERATOR 1 "s".<(int4, int4) FOR ORDER BY "s"."f"} or {@code FUNCTION 1 (int4, int4) f(...)}. */
    private static String member(String[] item) {
        if (item[0].equals("FUNCTION")) {
            return item[1];
        }
        return "OPERATOR " + item[1] + " " + CatalogNames.operator(item[2], item[3]) + "(" + item[4] + ", " + item[5]
                + ")" + (item[7] == null ? "" : " FOR ORDER BY " + Sql.qualified(item[6], item[7]));
    }

    private static List<String> members(java.sql.ResultSet rs, int column) throws SQLException {
        return CatalogNames.rows(rs, column).stream().map(OperatorClassExtractor::member).toList();
    }

    static List<CatalogObject> families(Catalog catalog) throws SQLException {
        String sql = "SELECT f.oid, n.nspname, f.opfname, am.amname, " + memberItems("pg_opfamily", "f.oid") + ", "
                + memberKeys("pg_opfamily", "f.oid") + " FROM pg_opfamily f JOIN pg_namespace n "
                + "ON n.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod WHERE f.oid >= 16384 AND "
                + Catalog.userSchema("f.opfnamespace") + " AND " + Catalog.notExtensionMember("pg_opfamily", "f.oid")
                + " ORDER BY 2, 3, 4";
        return catalog.query(sql, rs -> {
            String name = Sql.qualified(rs.getString(2), rs.getString(3)) + " USING " + Sql.ident(rs.getString(4));
            List<String> ddl = new ArrayList<>();
            ddl.add("CREATE OPERATOR FAMILY " + name);
            List<String> loose = members(rs, 5);
            if (!loose.isEmpty()) {
                ddl.add("ALTER OPERATOR FAMILY " + name + " ADD " + String.join(", ", loose));
            }
            Set<CatalogKey> owns = keys(CatalogIds.PG_OPFAMILY, rs.getLong(1), (String[]) rs.getArray(6).getArray());
            return new CatalogObject(ObjectKind.OPERATOR_FAMILY, "operator family " + rs.getString(2) + "."
                    + rs.getString(3) + " using " + rs.getString(4), ddl, owns);
        });
    }

    static List<CatalogObject> classes(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, n.nspname, c.opcname, am.amname, c.opcdefault, format_type(c.opcintype, NULL), "
                + CatalogNames.pair("fn.nspname", "f.opfname") + ", CASE WHEN c.opckeytype <> 0 THEN "
                + "format_type(c.opckeytype, NULL) END, " + memberItems("pg_opclass", "c.oid") + ", "
                + memberKeys("pg_opclass", "c.oid") + " FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am am "
                + "ON am.oid = c.opcmethod JOIN pg_opfamily f ON f.oid = c.opcfamily JOIN pg_namespace fn "
                + "ON fn.oid = f.opfnamespace WHERE c.oid >= 16384 AND " + Catalog.userSchema("c.opcnamespace")
                + " AND " + Catalog.notExtensionMember("pg_opclass", "c.oid") + " ORDER BY 2, 3, 4";
        return catalog.query(sql, rs -> {
            List<String> items = new ArrayList<>(members(rs, 9));
            if (rs.getString(8) != null) {
                items.add("STORAGE " + rs.getString(8));
            } else if (items.isEmpty()) {
                // a class with no members: STORAGE of the input type itself is stored as no key type, as it was
                items.add("STORAGE " + rs.getString(6));
            }
            String ddl = "CREATE OPERATOR CLASS " + Sql.qualified(rs.getString(2), rs.getString(3))
                    + (rs.getBoolean(5) ? " DEFAULT" : "") + " FOR TYPE " + rs.getString(6) + " USING "
                    + Sql.ident(rs.getString(4)) + " FAMILY " + CatalogNames.qualified(rs, 7) + " AS " + String.join(", ", items);
            Set<CatalogKey> owns = keys(CatalogIds.PG_OPCLASS, rs.getLong(1), (String[]) rs.getArray(10).getArray());
            return new CatalogObject(ObjectKind.OPERATOR_CLASS, "operator class " + rs.getString(2) + "."
                    + rs.getString(3) + " using " + rs.getString(4), List.of(ddl), owns);
        });
    }

    private static Set<CatalogKey> keys(long catalogId, long oid, String[] members) {
        Set<CatalogKey> owns = new HashSet<>();
        owns.add(new CatalogKey(catalogId, oid));
        for (String m : members) {
            int colon = m.indexOf(':');
            owns.add(new CatalogKey(Long.parseLong(m.substring(0, colon)), Long.parseLong(m.substring(colon + 1))));
        }
        return owns;
    }
}
