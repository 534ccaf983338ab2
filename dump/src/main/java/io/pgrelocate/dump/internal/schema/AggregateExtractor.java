package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** Aggregates (normal, ordered-set, hypothetical-set) rebuilt from pg_aggregate: there is no pg_get_aggregatedef. */
final class AggregateExtractor {
    private AggregateExtractor() {
    }

    private static String proc(String column) {
        return "NULLIF(a." + column + ", 0)::regproc::text";
    }

    static List<CatalogObject> aggregates(Catalog catalog) throws SQLException {
        String sql = "SELECT p.oid, n.nspname, p.proname, pg_get_function_arguments(p.oid), a.aggkind::text, "
                + proc("aggtransfn") + ", format_type(a.aggtranstype, NULL), a.aggtransspace, " + proc("aggfinalfn")
                + ", a.aggfinalextra, a.aggfinalmodify::text, " + proc("aggcombinefn") + ", " + proc("aggserialfn")
                + ", " + proc("aggdeserialfn") + ", a.agginitval, " + proc("aggmtransfn") + ", " + proc("aggminvtransfn")
                + ", CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END, a.aggmtransspace, "
                + proc("aggmfinalfn") + ", a.aggmfinalextra, a.aggmfinalmodify::text, a.aggminitval, "
                + "CASE WHEN a.aggsortop <> 0 THEN " + OperatorExtractor.operatorRef("a.aggsortop") + " END, "
                + "p.proparallel::text FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid JOIN pg_namespace n "
                + "ON n.oid = p.pronamespace WHERE " + Catalog.userSchema("p.pronamespace") + " AND "
                + Catalog.notExtensionMember("pg_proc", "p.oid") + " ORDER BY 2, 3, 4";
        return catalog.query(sql, rs -> {
            String name = Sql.qualified(rs.getString(2), rs.getString(3));
            StringBuilder o = new StringBuilder("SFUNC = ").append(rs.getString(6)).append(", STYPE = ")
                    .append(rs.getString(7));
            if (rs.getInt(8) != 0) {
                o.append(", SSPACE = ").append(rs.getInt(8));
            }
            finalFunction(o, rs, "", 9);
            option(o, "COMBINEFUNC", rs.getString(12));
            option(o, "SERIALFUNC", rs.getString(13));
            option(o, "DESERIALFUNC", rs.getString(14));
            if (rs.getString(15) != null) {
                o.append(", INITCOND = ").append(Sql.literal(rs.getString(15)));
            }
            option(o, "MSFUNC", rs.getString(16));
            option(o, "MINVFUNC", rs.getString(17));
            option(o, "MSTYPE", rs.getString(18));
            if (rs.getInt(19) != 0) {
                o.append(", MSSPACE = ").append(rs.getInt(19));
            }
            finalFunction(o, rs, "M", 20);
            if (rs.getString(23) != null) {
                o.append(", MINITCOND = ").append(Sql.literal(rs.getString(23)));
            }
            option(o, "SORTOP", CatalogNames.operatorRef(rs, 24));
            switch (rs.getString(25)) {
                case "s" -> o.append(", PARALLEL = SAFE");
                case "r" -> o.append(", PARALLEL = RESTRICTED");
                default -> { }
            }
            if (rs.getString(5).equals("h")) {
                o.append(", HYPOTHETICAL");
            }
            String ddl = "CREATE AGGREGATE " + name + "(" + rs.getString(4) + ") (" + o + ")";
            return new CatalogObject(ObjectKind.AGGREGATE, "aggregate " + rs.getString(2) + "." + rs.getString(3)
                    + "(" + rs.getString(4) + ")", List.of(ddl), Set.of(new CatalogKey(FunctionExtractor.PG_PROC,
                    rs.getLong(1))));
        });
    }

    /** FINALFUNC (or MFINALFUNC), with _EXTRA and _MODIFY where they differ from the defaults. */
    private static void finalFunction(StringBuilder o, ResultSet rs, String prefix, int column) throws SQLException {
        String fn = rs.getString(column);
        if (fn == null) {
            return;
        }
        o.append(", ").append(prefix).append("FINALFUNC = ").append(fn);
        if (rs.getBoolean(column + 1)) {
            o.append(", ").append(prefix).append("FINALFUNC_EXTRA");
        }
        String modify = switch (rs.getString(column + 2)) {
            case "s" -> "SHAREABLE";
            case "w" -> "READ_WRITE";
            default -> "READ_ONLY";
        };
        o.append(", ").append(prefix).append("FINALFUNC_MODIFY = ").append(modify);
    }

    private static void option(StringBuilder o, String name, String value) {
        if (value != null) {
            o.append(", ").append(name).append(" = ").append(value);
        }
    }
}
