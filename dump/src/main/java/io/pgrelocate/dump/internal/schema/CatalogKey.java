package io.pgrelocate.dump.internal.schema;

/** A catalog row as pg_depend names it: the catalog's oid and the row's oid. */
record CatalogKey(long classId, long objId) {
}
