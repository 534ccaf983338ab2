/** Continuous migration: logical replication (pgoutput) from an exported snapshot to cutover. */
module io.pgrelocate.replication {
    requires transitive io.pgrelocate.core;
    requires io.pgrelocate.dump;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.pgrelocate.replication;

    provides io.pgrelocate.core.spi.MigrationEngine with io.pgrelocate.replication.ReplicationEngine;
}
