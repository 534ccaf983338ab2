package io.pgrelocate.dump.internal.schema;

/**
 * Kinds of pre-data objects, in the order used to break ties between objects that do not depend on each
 * other (dependencies from pg_depend always win).
 */
enum ObjectKind {
    SCHEMA, SHELL_TYPE, EXTENSION, COLLATION, ACCESS_METHOD, TYPE, FUNCTION, LANGUAGE, BASE_TYPE, AGGREGATE, OPERATOR, OPERATOR_FAMILY,
    OPERATOR_CLASS, CAST, TRANSFORM, CONVERSION, TEXT_SEARCH, FOREIGN_DATA, SEQUENCE, TABLE, VIEW, MATERIALIZED_VIEW, STATISTICS,
    OTHER
}
