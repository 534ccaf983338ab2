package io.pgrelocate.dump.internal.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Query helpers over one source connection, and the filter every extractor shares. */
final class Catalog {
    /** A row reader that may throw. */
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The excluded schema names' parameter; a catalog query takes no other. */
    private static final String PLACEHOLDER = "?::text[]";

    private final Connection connection;
    private final int version;
    private final Set<String> excludedSchemas;
    private final ExtractOptions options;
    private final List<String> warnings = new ArrayList<>();

    Catalog(Connection connection, int version, ExtractOptions options) {
        this.connection = connection;
        this.version = version;
        this.excludedSchemas = options.excludedSchemas();
        this.options = options;
    }

    ExtractOptions options() {
        return options;
    }

    /** Whether {@code role} exists on the target ({@code null} stands for PUBLIC, which always does). */
    boolean targetHasRole(String role) {
        return role == null || options.targetRoles().contains(role);
    }

    /** Records that {@code message} (naming the object) will not be reproduced as on the source. */
    void warn(String message) {
        warnings.add(message);
    }

    List<String> warnings() {
        return warnings;
    }

    int version() {
        return version;
    }

    Connection connection() {
        return connection;
    }

    /**
     * SQL condition: the namespace oid expression {@code nsp} is a user schema we copy (not a system or
     * excluded schema). Excluded names are bound by {@link #query} as the first parameter (a text array).
     */
    static String userSchema(String nsp) {
        // the schemas left out, as one array the server computes once (an init plan), not a name looked up per row:
        // four lookups per catalog row were a good part of the read at 10,000 tables
        return "(" + nsp + " <> ALL (ARRAY(SELECT x.oid FROM pg_namespace x WHERE x.nspname IN ('pg_catalog', "
                + "'information_schema') OR x.nspname LIKE 'pg\\_toast%' OR x.nspname LIKE 'pg\\_temp%' "
                + "OR x.nspname = ANY (" + PLACEHOLDER + "))))";
    }

    /**
     * SQL condition on a schema name expression (null for objects outside schemas): not a system or excluded
     * schema. Binds one parameter like {@link #userSchema}.
     */
    static String copiedSchemaName(String name) {
        return "(" + name + " IS NULL OR (" + name + " NOT IN ('pg_catalog', 'information_schema') AND " + name
                + " NOT LIKE 'pg\\_toast%' AND " + name + " NOT LIKE 'pg\\_temp%' AND " + name + " <> ALL (" + PLACEHOLDER
                + ")))";
    }

    /**
     * SQL expression: a generic options array ({@code {k=v,...}}) as raw {@code {name, value}} rows of a
     * two-dimensional text array, or null when empty; {@link CatalogNames#options} renders it quoted.
     */
    static String options(String array) {
        return "(SELECT array_agg(ARRAY[o.option_name, o.option_value]::text[]) FROM pg_options_to_table(" + array
                + ") o)";
    }

    /**
     * SQL condition: the row {@code oid} of catalog {@code catalog} is not an internal part of another object (such
     * as the constructor functions and casts of a range type), which comes with that object.
     */
    static String notInternal(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = '" + catalog + "'::regclass AND i.objid = "
                + oid + " AND i.deptype = 'i')";
    }

    /** SQL condition: the row {@code oid} of catalog {@code catalog} is not part of an extension. */
    static String notExtensionMember(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = "
                + oid + " AND e.deptype = 'e')";
    }

    /**
     * Runs {@code sql}; every {@code ?} is bound to the excluded schema names (queries use the placeholder
     * only through {@link #userSchema}).
     */
    <T> List<T> query(String sql, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            // counted here, not asked of the server: getParameterMetaData is a round trip of its own per query
            int params = placeholders(sql);
            for (int i = 1; i <= params; i++) {
                ps.setArray(i, connection.createArrayOf("text", excludedSchemas.toArray()));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(mapper.map(rs));
                    } catch (RuntimeException e) {
                        // a generator bug on one unusual object is reported before the copy, never aborting it
                        warn("an object could not be generated and is not copied (catalog row " + describe(rs) + "): "
                                + e);
                    }
                }
            }
            return out;
        }
    }

    /** How many times {@link #PLACEHOLDER}, the only parameter the catalog queries take, occurs in {@code sql}. */
    static int placeholders(String sql) {
        int count = 0;
        for (int i = sql.indexOf(PLACEHOLDER); i >= 0; i = sql.indexOf(PLACEHOLDER, i + PLACEHOLDER.length())) {
            count++;
        }
        return count;
    }

    /** The first columns of a catalog row (typically oid, schema and name), enough to find the object. */
    private static String describe(ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= Math.min(3, rs.getMetaData().getColumnCount()); i++) {
            values.add(String.valueOf(rs.getObject(i)));
        }
        return String.join(", ", values);
    }
}
