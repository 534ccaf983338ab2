package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** User-defined index and table access methods. */
final class AccessMethodExtractor {
    private AccessMethodExtractor() {
    }

    static List<CatalogObject> accessMethods(Catalog catalog) throws SQLException {
        String sql = "SELECT a.oid, a.amname, a.amtype::text, a.amhandler::regproc::text FROM pg_am a WHERE a.oid >= 16384 "
                + "AND " + Catalog.notExtensionMember("pg_am", "a.oid") + " ORDER BY 2";
        return catalog.query(sql, rs -> new CatalogObject(ObjectKind.ACCESS_METHOD, "access method " + rs.getString(2),
                List.of("CREATE ACCESS METHOD " + Sql.ident(rs.getString(2)) + " TYPE "
                        + (rs.getString(3).equals("t") ? "TABLE" : "INDEX") + " HANDLER " + rs.getString(4)),
                Set.of(new CatalogKey(CatalogIds.PG_AM, rs.getLong(1)))));
    }
}
