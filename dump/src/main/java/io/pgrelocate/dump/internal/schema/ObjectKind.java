package io.pgrelocate.dump.internal.schema;

/**
 * Kinds of pre-data objects, in the order used to break ties between objects that do not depend on each
 * other (dependencies from pg_depend always win).
 */
enum ObjectKind {
    SCHEMA, EXTENSION, COLLATION, TYPE, FUNCTION, SEQUENCE, TABLE, VIEW, MATERIALIZED_VIEW, OTHER
}
