package io.pgrelocate.dump.internal.schema;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** User-defined casts. */
final class CastExtractor {
    private CastExtractor() {
    }

    static List<CatalogObject> casts(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, format_type(c.castsource, NULL), format_type(c.casttarget, NULL), c.castmethod::text, "
                + "NULLIF(c.castfunc, 0)::regprocedure::text, c.castcontext::text FROM pg_cast c WHERE c.oid >= 16384 AND "
                + Catalog.notExtensionMember("pg_cast", "c.oid") + " AND " + Catalog.notInternal("pg_cast", "c.oid")
                + " ORDER BY 2, 3";
        return catalog.query(sql, rs -> {
            String types = "(" + rs.getString(2) + " AS " + rs.getString(3) + ")";
            String how = switch (rs.getString(4)) {
                case "f" -> " WITH FUNCTION " + rs.getString(5);
                case "i" -> " WITH INOUT";
                default -> " WITHOUT FUNCTION";
            };
            String context = switch (rs.getString(6)) {
                case "a" -> " AS ASSIGNMENT";
                case "i" -> " AS IMPLICIT";
                default -> "";
            };
            return new CatalogObject(ObjectKind.CAST, "cast " + types, List.of("CREATE CAST " + types + how + context),
                    Set.of(new CatalogKey(CatalogIds.PG_CAST, rs.getLong(1))));
        });
    }
}
