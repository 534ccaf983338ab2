package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Schemas and extensions. */
final class NamespaceExtractor {
    private static final long PG_NAMESPACE = 2615;
    private static final long PG_EXTENSION = 3079;

    private NamespaceExtractor() {
    }

    static List<CatalogObject> schemas(Catalog catalog) throws SQLException {
        String sql = "SELECT n.oid, n.nspname FROM pg_namespace n WHERE " + Catalog.userSchema("n.oid")
                + " AND " + Catalog.notExtensionMember("pg_namespace", "n.oid") + " ORDER BY n.nspname";
        return catalog.query(sql, rs -> {
            String name = rs.getString(2);
            // public exists in every new database; creating it again would fail
            String ddl = "CREATE SCHEMA IF NOT EXISTS " + Sql.ident(name);
            return new CatalogObject(ObjectKind.SCHEMA, "schema " + name, List.of(ddl),
                    Set.of(new CatalogKey(PG_NAMESPACE, rs.getLong(1))));
        });
    }

    static List<CatalogObject> extensions(Catalog catalog) throws SQLException {
        String sql = "SELECT e.oid, e.extname, n.nspname, e.extversion FROM pg_extension e "
                + "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY e.extname";
        List<CatalogObject> out = new ArrayList<>();
        for (CatalogObject o : catalog.query(sql, rs -> new CatalogObject(ObjectKind.EXTENSION,
                "extension " + rs.getString(2),
                // no VERSION: the target installs its own default, which an upgrade usually wants
                List.of("CREATE EXTENSION IF NOT EXISTS " + Sql.ident(rs.getString(2)) + " WITH SCHEMA "
                        + Sql.ident(rs.getString(3))),
                Set.of(new CatalogKey(PG_EXTENSION, rs.getLong(1)))))) {
            out.add(o);
        }
        return out;
    }
}
