package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.spi.Sql;

/**
 * A table, materialized view or sequence by schema and name.
 *
 * @param identity {@code schema.name} as the catalog queries print identities (quoted where SQL needs it)
 */
record TableRef(String schema, String name, String identity) {
    /** Quoted and qualified, for SQL. */
    String sql() {
        return Sql.qualified(schema, name);
    }
}
