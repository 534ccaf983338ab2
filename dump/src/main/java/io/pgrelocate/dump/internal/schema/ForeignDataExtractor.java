package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Foreign-data wrappers, foreign servers and user mappings (foreign tables are tables). User mapping options
 * often hold a password: statements are masked when logged, and messages name a mapping by role and server only.
 */
final class ForeignDataExtractor {
    private ForeignDataExtractor() {
    }

    private static String withOptions(String options) {
        return options == null ? "" : " OPTIONS (" + options + ")";
    }

    static List<CatalogObject> all(Catalog catalog) throws SQLException {
        List<CatalogObject> out = new ArrayList<>();
        out.addAll(catalog.query("SELECT w.oid, w.fdwname, NULLIF(w.fdwhandler, 0)::regproc::text, "
                + "NULLIF(w.fdwvalidator, 0)::regproc::text, " + Catalog.options("w.fdwoptions")
                + " FROM pg_foreign_data_wrapper w WHERE w.oid >= 16384 AND "
                + Catalog.notExtensionMember("pg_foreign_data_wrapper", "w.oid") + " ORDER BY 2",
                rs -> new CatalogObject(ObjectKind.FOREIGN_DATA, "foreign-data wrapper " + rs.getString(2),
                        List.of("CREATE FOREIGN DATA WRAPPER " + Sql.ident(rs.getString(2))
                                + (rs.getString(3) == null ? "" : " HANDLER " + rs.getString(3))
                                + (rs.getString(4) == null ? "" : " VALIDATOR " + rs.getString(4))
                                + withOptions(CatalogNames.options(rs, 5))),
                        Set.of(new CatalogKey(CatalogIds.PG_FOREIGN_DATA_WRAPPER, rs.getLong(1))))));
        out.addAll(catalog.query("SELECT s.oid, s.srvname, s.srvtype, s.srvversion, w.fdwname, "
                + Catalog.options("s.srvoptions") + " FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w "
                + "ON w.oid = s.srvfdw WHERE s.oid >= 16384 AND " + Catalog.notExtensionMember("pg_foreign_server", "s.oid")
                + " ORDER BY 2", rs -> new CatalogObject(ObjectKind.FOREIGN_DATA, "server " + rs.getString(2),
                List.of("CREATE SERVER " + Sql.ident(rs.getString(2))
                        + (rs.getString(3) == null ? "" : " TYPE " + Sql.literal(rs.getString(3)))
                        + (rs.getString(4) == null ? "" : " VERSION " + Sql.literal(rs.getString(4)))
                        + " FOREIGN DATA WRAPPER " + Sql.ident(rs.getString(5)) + withOptions(CatalogNames.options(rs, 6))),
                Set.of(new CatalogKey(CatalogIds.PG_FOREIGN_SERVER, rs.getLong(1))))));
        out.addAll(userMappings(catalog));
        return out;
    }

    private static List<CatalogObject> userMappings(Catalog catalog) throws SQLException {
        // pg_user_mappings shows the options to a superuser or the mapping's user, not to every role
        String sql = "SELECT m.umid, m.srvname, CASE WHEN m.umuser = 0 THEN NULL ELSE m.usename::text END, "
                + Catalog.options("m.umoptions") + " FROM pg_user_mappings m WHERE m.srvid >= 16384 ORDER BY 2, 3";
        List<CatalogObject> out = new ArrayList<>();
        for (CatalogObject o : catalog.query(sql, rs -> {
            String role = rs.getString(3);
            String display = "user mapping for " + (role == null ? "PUBLIC" : role) + " on server " + rs.getString(2);
            if (!catalog.targetHasRole(role)) {
                catalog.warn(display + " is not copied: role " + role + " does not exist on the target");
                return null;
            }
            return new CatalogObject(ObjectKind.FOREIGN_DATA, display, List.of("CREATE USER MAPPING FOR "
                    + (role == null ? "PUBLIC" : Sql.ident(role)) + " SERVER " + Sql.ident(rs.getString(2))
                    + withOptions(CatalogNames.options(rs, 4))), Set.of(new CatalogKey(CatalogIds.PG_USER_MAPPING, rs.getLong(1))));
        })) {
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }
}
