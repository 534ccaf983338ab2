package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
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
        List<String> missing = new ArrayList<>();
        List<CatalogObject> out = catalog.query(sql, rs -> {
            String name = rs.getString(2);
            String version = rs.getString(4);
            Set<String> available = catalog.options().targetExtensions().get(name);
            if (available == null) {
                missing.add(name + " " + version);
            }
            String ddl = "CREATE EXTENSION IF NOT EXISTS " + Sql.ident(name) + " WITH SCHEMA " + Sql.ident(rs.getString(3));
            if (available != null && available.contains(version)) {
                ddl += " VERSION " + Sql.literal(version);
            } else if (available != null) {
                catalog.warn("extension " + name + ": version " + version + " is not available on the target; "
                        + "the target's default version is installed instead");
            }
            return new CatalogObject(ObjectKind.EXTENSION, "extension " + name, List.of(ddl),
                    Set.of(new CatalogKey(PG_EXTENSION, rs.getLong(1))));
        });
        if (!missing.isEmpty()) {
            throw new PgRelocateException(ErrorCode.SCHEMA_UNSUPPORTED, "the target cannot install extension(s) "
                    + String.join(", ", missing) + " used by the source database; install them on the target "
                    + "server (see pg_available_extensions) or drop them on the source");
        }
        return out;
    }
}
