package io.pgrelocate.testcontainers;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code the container fixtures share, run against embedded servers (no Docker engine here): an endpoint
 * made from a JDBC URL and credentials, as a container gives them, and the one-call migration.
 */
class EndpointMigrationIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 17);

    @Test
    void migratesContinuouslyToTheEndBetweenEndpointsMadeFromJdbcUrls() {
        String db = pg.newDatabase("upgrade");
        pg.source().execute(db, "CREATE TABLE orders (id bigint PRIMARY KEY, note text)",
                "INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 5000) g",
                "CREATE SEQUENCE tickets", "SELECT setval('tickets', 42)");

        MigrationState end = ContainerMigration.migrate(endpoint(pg.source()), endpoint(pg.target()),
                Mode.CONTINUOUS, Duration.ofMinutes(3), b -> b.databases(db).migrationId(pg.migrationId()));

        assertThat(end).isEqualTo(MigrationState.COMPLETED);
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM orders")).isEqualTo("5000");
    }

    /** What ContainerEndpoints.of does with a container: its JDBC URL (no credentials in it), user, password. */
    private static Endpoint endpoint(io.pgrelocate.testkit.PostgresServer server) {
        Endpoint e = ContainerEndpoints.fromJdbcUrl("jdbc:postgresql://" + server.host() + ":" + server.port()
                + "/postgres?loggerLevel=OFF", io.pgrelocate.testkit.PostgresServer.SUPERUSER,
                io.pgrelocate.testkit.PostgresServer.PASSWORD);
        assertThat(e.sslMode()).as("TLS off: a test server has no certificate").isEqualTo(io.pgrelocate.core.SslMode.DISABLE);
        return e;
    }
}
