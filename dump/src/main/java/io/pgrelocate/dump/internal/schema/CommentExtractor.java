package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;

/** {@code COMMENT ON} every copied object that has one, of any kind, and on the database itself. */
final class CommentExtractor {
    private CommentExtractor() {
    }

    static List<DdlStatement> comments(Catalog catalog) throws SQLException {
        String sql = "SELECT i.type, " + ObjectAddresses.target("d.classoid", "d.objoid", "i") + ", d.description "
                + "FROM (SELECT classoid, objoid, objsubid, description FROM pg_description UNION ALL SELECT classoid, "
                + "objoid, 0, description FROM pg_shdescription WHERE classoid = 'pg_database'::regclass AND objoid = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())) d, "
                + "LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) i WHERE "
                + ObjectAddresses.copied("d.classoid", "d.objoid", "i") + " ORDER BY 1, 2";
        List<DdlStatement> out = new java.util.ArrayList<>(catalog.query(sql, rs -> {
            String target = ObjectAddresses.target(rs, 2);
            String what = ObjectAddresses.keyword(rs.getString(1)) + " " + target;
            return new DdlStatement("comment on " + rs.getString(1) + " " + target, "COMMENT ON " + what + " IS "
                    + Sql.literal(rs.getString(3)));
        }));
        out.addAll(publicSchemaUncommented(catalog));
        return out;
    }

    /**
     * The target's public schema comes from template0 with initdb's comment: where the source's has none (it
     * was removed), remove it too, as pg_dump does with {@code COMMENT ON SCHEMA public IS ''}.
     */
    private static List<DdlStatement> publicSchemaUncommented(Catalog catalog) throws SQLException {
        return catalog.query("SELECT 1 FROM pg_namespace n WHERE n.nspname = 'public' AND "
                + "obj_description(n.oid, 'pg_namespace') IS NULL", rs -> new DdlStatement("comment on schema public",
                "COMMENT ON SCHEMA public IS NULL"));
    }

    /** {@code SECURITY LABEL FOR provider ON ...}: replayed where the target loads the same label provider. */
    static List<DdlStatement> securityLabels(Catalog catalog) throws SQLException {
        String sql = "SELECT i.type, " + ObjectAddresses.target("l.classoid", "l.objoid", "i") + ", l.provider, l.label "
                + "FROM (SELECT classoid, objoid, objsubid, provider, label FROM pg_seclabel UNION ALL SELECT classoid, "
                + "objoid, 0, provider, label FROM pg_shseclabel WHERE classoid = 'pg_database'::regclass AND objoid = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())) l, "
                + "LATERAL pg_identify_object(l.classoid, l.objoid, l.objsubid) i WHERE "
                + ObjectAddresses.copied("l.classoid", "l.objoid", "i") + " ORDER BY 1, 2, 3";
        return catalog.query(sql, rs -> new DdlStatement("security label on " + rs.getString(1) + " "
                + ObjectAddresses.target(rs, 2), "SECURITY LABEL FOR " + Sql.ident(rs.getString(3)) + " ON "
                + ObjectAddresses.keyword(rs.getString(1)) + " " + ObjectAddresses.target(rs, 2) + " IS "
                + Sql.literal(rs.getString(4))));
    }
}
