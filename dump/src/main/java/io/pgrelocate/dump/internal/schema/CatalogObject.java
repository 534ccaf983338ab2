package io.pgrelocate.dump.internal.schema;

import java.util.List;
import java.util.Set;

/**
 * One pre-data object read from the catalogs: the statements that recreate it and the catalog rows it
 * stands for (its own row and parts such as a table's row type, column defaults and CHECK constraints),
 * by which pg_depend dependencies are mapped onto objects.
 */
record CatalogObject(ObjectKind kind, String name, List<String> sql, Set<CatalogKey> owns) {
    CatalogObject {
        sql = List.copyOf(sql);
        owns = Set.copyOf(owns);
    }
}
