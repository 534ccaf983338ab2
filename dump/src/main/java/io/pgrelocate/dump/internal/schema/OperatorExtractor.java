package io.pgrelocate.dump.internal.schema;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** User-defined operators. */
final class OperatorExtractor {
    private OperatorExtractor() {
    }

    /**
     * SQL expression: the raw {@code {schema, operator}} of the operator oid {@code oid}, which
     * {@link CatalogNames#operatorRef} renders as {@code OPERATOR("schema".op)}.
     */
    static String operatorRef(String oid) {
        return "(SELECT " + CatalogNames.pair("xn.nspname", "xo.oprname") + " FROM pg_operator xo JOIN pg_namespace xn "
                + "ON xn.oid = xo.oprnamespace WHERE xo.oid = " + oid + ")";
    }

    static List<CatalogObject> operators(Catalog catalog) throws SQLException {
        String sql = "SELECT o.oid, n.nspname, o.oprname, o.oprcode::regprocedure::text, o.oprcode::regproc::text, "
                + "CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END, "
                + "CASE WHEN o.oprright <> 0 THEN format_type(o.oprright, NULL) END, "
                + "CASE WHEN o.oprcom <> 0 THEN " + operatorRef("o.oprcom") + " END, "
                + "CASE WHEN o.oprnegate <> 0 THEN " + operatorRef("o.oprnegate") + " END, "
                + "NULLIF(o.oprrest, 0)::regproc::text, NULLIF(o.oprjoin, 0)::regproc::text, o.oprcanhash, o.oprcanmerge "
                + "FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE o.oprcode <> 0 AND "
                + Catalog.userSchema("o.oprnamespace") + " AND " + Catalog.notExtensionMember("pg_operator", "o.oid")
                + " ORDER BY 2, 3, 6, 7";
        return catalog.query(sql, rs -> {
            StringBuilder o = new StringBuilder("FUNCTION = ").append(rs.getString(5));
            append(o, "LEFTARG", rs.getString(6));
            append(o, "RIGHTARG", rs.getString(7));
            append(o, "COMMUTATOR", CatalogNames.operatorRef(rs, 8));
            append(o, "NEGATOR", CatalogNames.operatorRef(rs, 9));
            append(o, "RESTRICT", rs.getString(10));
            append(o, "JOIN", rs.getString(11));
            if (rs.getBoolean(12)) {
                o.append(", HASHES");
            }
            if (rs.getBoolean(13)) {
                o.append(", MERGES");
            }
            String name = CatalogNames.operator(rs.getString(2), rs.getString(3));
            String display = "operator " + rs.getString(2) + "." + rs.getString(3) + "(" + rs.getString(6) + ", "
                    + rs.getString(7) + ")";
            return new CatalogObject(ObjectKind.OPERATOR, display, List.of("CREATE OPERATOR " + name + " (" + o + ")"),
                    Set.of(new CatalogKey(CatalogIds.PG_OPERATOR, rs.getLong(1))));
        });
    }

    private static void append(StringBuilder o, String option, String value) {
        if (value != null) {
            o.append(", ").append(option).append(" = ").append(value);
        }
    }
}
