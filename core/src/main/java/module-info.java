/** pgrelocate's public API, its SPI and the shared PostgreSQL plumbing. */
module io.pgrelocate.core {
    requires transitive java.sql;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.pgrelocate.core;
    exports io.pgrelocate.core.spi;

    uses io.pgrelocate.core.spi.MigrationEngine;
    uses io.pgrelocate.core.spi.PreflightService;
}
