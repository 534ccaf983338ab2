package io.pgrelocate.dump.internal.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

// guards the parameter count a catalog query binds without asking the server: one per schema filter, none otherwise
class CatalogPlaceholdersTest {
    @Test
    void countsOneParameterPerSchemaFilter() {
        assertThat(Catalog.placeholders("SELECT 1 FROM pg_class c WHERE " + Catalog.userSchema("c.relnamespace")))
                .isEqualTo(1);
        assertThat(Catalog.placeholders("SELECT 1 FROM pg_class c WHERE " + Catalog.userSchema("c.relnamespace")
                + " AND " + Catalog.copiedSchemaName("'x'") + " AND " + Catalog.userSchema("c.relnamespace")))
                .isEqualTo(3);
        assertThat(Catalog.placeholders("SELECT 1 FROM pg_largeobject_metadata LIMIT 1")).isZero();
    }
}
