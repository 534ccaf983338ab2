package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Collations (libc, ICU, builtin). Columns that moved between majors (the ICU locale, rules) are read
 * through {@code to_jsonb} so one query serves 14 to 18.
 */
final class CollationExtractor {
    private CollationExtractor() {
    }

    static List<CatalogObject> collations(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, n.nspname, c.collname, c.collprovider::text, c.collisdeterministic, "
                + "c.collcollate, c.collctype, COALESCE(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale'), "
                + "to_jsonb(c) ->> 'collicurules' FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace "
                + "WHERE c.oid >= 16384 AND " + Catalog.userSchema("c.collnamespace") + " AND "
                + Catalog.notExtensionMember("pg_collation", "c.oid") + " ORDER BY 2, 3";
        return catalog.query(sql, rs -> {
            String provider = rs.getString(4);
            StringBuilder ddl = new StringBuilder("CREATE COLLATION ").append(Sql.qualified(rs.getString(2),
                    rs.getString(3))).append(" (provider = ");
            String locale = rs.getString(8) != null ? rs.getString(8) : rs.getString(6);
            switch (provider) {
                case "i" -> ddl.append("icu, locale = ").append(Sql.literal(locale));
                case "b" -> ddl.append("builtin, locale = ").append(Sql.literal(locale));
                default -> ddl.append("libc, lc_collate = ").append(Sql.literal(rs.getString(6)))
                        .append(", lc_ctype = ").append(Sql.literal(rs.getString(7)));
            }
            if (!rs.getBoolean(5)) {
                ddl.append(", deterministic = false");
            }
            if (rs.getString(9) != null) {
                ddl.append(", rules = ").append(Sql.literal(rs.getString(9)));
            }
            return new CatalogObject(ObjectKind.COLLATION, "collation " + rs.getString(2) + "." + rs.getString(3),
                    List.of(ddl.append(')').toString()), Set.of(new CatalogKey(CatalogIds.PG_COLLATION, rs.getLong(1))));
        });
    }
}
