/** pgrelocate's public API, its SPI and the shared PostgreSQL plumbing. */
module io.pgrelocate.core {
    requires transitive java.sql;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.pgrelocate.core;
    exports io.pgrelocate.core.spi;
    // plumbing shared with our own engines only, not part of the public surface
    exports io.pgrelocate.core.internal.tasks to io.pgrelocate.dump, io.pgrelocate.replication;
    exports io.pgrelocate.core.internal.roles to io.pgrelocate.dump, io.pgrelocate.preflight;
    exports io.pgrelocate.core.internal.wire to io.pgrelocate.dump, io.pgrelocate.replication;

    uses io.pgrelocate.core.spi.MigrationEngine;
    uses io.pgrelocate.core.spi.PreflightService;
}
