/** Point-in-time migration: catalog-based schema copy and parallel binary COPY under one snapshot. */
module io.pgrelocate.dump {
    requires transitive io.pgrelocate.core;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;

    exports io.pgrelocate.dump;

    provides io.pgrelocate.core.spi.MigrationEngine with io.pgrelocate.dump.DumpEngine;
}
