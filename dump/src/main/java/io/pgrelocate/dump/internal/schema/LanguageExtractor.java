package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Procedural languages created without an extension (with their handler, inline and validator functions, which
 * come first through {@code pg_depend}) and transforms, as pg_dump recreates them. Both need a superuser on the
 * target, as on the source. Languages of extensions come with their extension.
 */
final class LanguageExtractor {
    private LanguageExtractor() {
    }

    static List<CatalogObject> languages(Catalog catalog) throws SQLException {
        String sql = "SELECT l.oid, l.lanname, l.lanpltrusted, l.lanplcallfoid::regproc::text, "
                + "NULLIF(l.laninline, 0::oid)::regproc::text, NULLIF(l.lanvalidator, 0::oid)::regproc::text FROM pg_language l "
                + "WHERE l.oid >= 16384 AND " + Catalog.notExtensionMember("pg_language", "l.oid") + " ORDER BY 2";
        return catalog.query(sql, rs -> {
            StringBuilder ddl = new StringBuilder("CREATE ").append(rs.getBoolean(3) ? "TRUSTED " : "")
                    .append("LANGUAGE ").append(Sql.ident(rs.getString(2))).append(" HANDLER ").append(rs.getString(4));
            if (rs.getString(5) != null) {
                ddl.append(" INLINE ").append(rs.getString(5));
            }
            if (rs.getString(6) != null) {
                ddl.append(" VALIDATOR ").append(rs.getString(6));
            }
            return new CatalogObject(ObjectKind.LANGUAGE, "language " + rs.getString(2), List.of(ddl.toString()),
                    Set.of(new CatalogKey(CatalogIds.PG_LANGUAGE, rs.getLong(1))));
        });
    }

    static List<CatalogObject> transforms(Catalog catalog) throws SQLException {
        String sql = "SELECT t.oid, format_type(t.trftype, NULL), (SELECT lanname FROM pg_language WHERE "
                + "oid = t.trflang), NULLIF(t.trffromsql::oid, 0::oid)::regprocedure::text, NULLIF(t.trftosql::oid, 0::oid)::regprocedure::text "
                + "FROM pg_transform t WHERE t.oid >= 16384 AND " + Catalog.notExtensionMember("pg_transform", "t.oid")
                + " ORDER BY 2, 3";
        return catalog.query(sql, rs -> {
            String name = "FOR " + rs.getString(2) + " LANGUAGE " + Sql.ident(rs.getString(3));
            String from = rs.getString(4) == null ? null : "FROM SQL WITH FUNCTION " + rs.getString(4);
            String to = rs.getString(5) == null ? null : "TO SQL WITH FUNCTION " + rs.getString(5);
            String body = from == null ? to : to == null ? from : from + ", " + to;
            return new CatalogObject(ObjectKind.TRANSFORM, "transform " + name.substring(4).toLowerCase(
                    java.util.Locale.ROOT), List.of("CREATE TRANSFORM " + name + " (" + body + ")"),
                    Set.of(new CatalogKey(CatalogIds.PG_TRANSFORM, rs.getLong(1))));
        });
    }
}
