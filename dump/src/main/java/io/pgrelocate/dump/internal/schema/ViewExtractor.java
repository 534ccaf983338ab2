package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Views and materialized views (created empty; refreshed after the data by a post-data statement). */
final class ViewExtractor {
    static final long PG_REWRITE = 2618;

    private ViewExtractor() {
    }

    static List<CatalogObject> views(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, c.reltype, COALESCE((SELECT typarray FROM pg_type WHERE oid = c.reltype), 0), "
                + "n.nspname, c.relname, c.relkind::text, pg_get_viewdef(c.oid), COALESCE(c.reloptions, '{}') || "
                + "ARRAY(SELECT 'toast.' || o FROM pg_class tc, unnest(tc.reloptions) o WHERE tc.oid = c.reltoastrelid), "
                + "ARRAY(SELECT r.oid FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'), "
                // a materialized view's table access method, where it is not the default heap
                + "(SELECT amname FROM pg_am WHERE oid = c.relam AND amname <> 'heap') "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND "
                + Catalog.userSchema("c.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "c.oid")
                + " ORDER BY n.nspname, c.relname";
        return catalog.query(sql, rs -> {
            boolean materialized = rs.getString(6).equals("m");
            String name = Sql.qualified(rs.getString(4), rs.getString(5));
            String[] options = (String[]) rs.getArray(8).getArray();
            String with = options.length == 0 ? "" : " WITH (" + String.join(", ", options) + ")";
            String body = rs.getString(7).strip();
            if (body.endsWith(";")) {
                body = body.substring(0, body.length() - 1);
            }
            String using = rs.getString(10) == null ? "" : " USING " + Sql.ident(rs.getString(10));
            String ddl = materialized
                    ? "CREATE MATERIALIZED VIEW " + name + using + with + " AS " + body + " WITH NO DATA"
                    : "CREATE VIEW " + name + with + " AS " + body;
            Set<CatalogKey> owns = new HashSet<>();
            owns.add(new CatalogKey(TypeExtractor.PG_CLASS, rs.getLong(1)));
            owns.add(new CatalogKey(TypeExtractor.PG_TYPE, rs.getLong(2)));
            if (rs.getLong(3) != 0) {
                owns.add(new CatalogKey(TypeExtractor.PG_TYPE, rs.getLong(3)));
            }
            for (Long r : (Long[]) rs.getArray(9).getArray()) {
                owns.add(new CatalogKey(PG_REWRITE, r));
            }
            return new CatalogObject(materialized ? ObjectKind.MATERIALIZED_VIEW : ObjectKind.VIEW,
                    (materialized ? "materialized view " : "view ") + rs.getString(4) + "." + rs.getString(5),
                    List.of(ddl), owns);
        });
    }

    /** {@code REFRESH MATERIALIZED VIEW} for each populated materialized view, for after the data. */
    static List<DdlStatement> refreshes(Catalog catalog) throws SQLException {
        String sql = "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind = 'm' AND c.relispopulated AND " + Catalog.userSchema("c.relnamespace") + " AND "
                + Catalog.notExtensionMember("pg_class", "c.oid") + " ORDER BY 1, 2";
        return catalog.query(sql, rs -> new DdlStatement("data of materialized view " + rs.getString(1) + "."
                + rs.getString(2), "REFRESH MATERIALIZED VIEW " + Sql.qualified(rs.getString(1), rs.getString(2))));
    }
}
