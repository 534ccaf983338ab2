package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** User-defined encoding conversions. */
final class ConversionExtractor {
    private ConversionExtractor() {
    }

    static List<CatalogObject> conversions(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, n.nspname, c.conname, c.condefault, pg_encoding_to_char(c.conforencoding), "
                + "pg_encoding_to_char(c.contoencoding), c.conproc::regproc::text FROM pg_conversion c JOIN pg_namespace n "
                + "ON n.oid = c.connamespace WHERE c.oid >= 16384 AND " + Catalog.userSchema("c.connamespace") + " AND "
                + Catalog.notExtensionMember("pg_conversion", "c.oid") + " ORDER BY 2, 3";
        return catalog.query(sql, rs -> new CatalogObject(ObjectKind.CONVERSION, "conversion " + rs.getString(2) + "."
                + rs.getString(3), List.of("CREATE " + (rs.getBoolean(4) ? "DEFAULT " : "") + "CONVERSION "
                + Sql.qualified(rs.getString(2), rs.getString(3)) + " FOR " + Sql.literal(rs.getString(5)) + " TO "
                + Sql.literal(rs.getString(6)) + " FROM " + rs.getString(7)),
                Set.of(new CatalogKey(CatalogIds.PG_CONVERSION, rs.getLong(1)))));
    }
}
