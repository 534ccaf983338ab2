package io.pgrelocate.testcontainers;

import io.pgrelocate.core.Endpoint;
import org.testcontainers.containers.JdbcDatabaseContainer;

import java.util.Map;

/**
 * {@link Endpoint}s for databases that Testcontainers runs. Thread-safe (no state).
 *
 * <pre>{@code
 * @Container
 * static final PostgreSQLContainer<?> source = PgContainers.logicalReplication(14);
 *
 * Endpoint endpoint = ContainerEndpoints.of(source);
 * }</pre>
 */
public final class ContainerEndpoints {
    private ContainerEndpoints() {
    }

    /**
     * The endpoint of a started container's database, logged in with the container's user and password.
     * Works for any {@link JdbcDatabaseContainer} whose JDBC URL is a PostgreSQL one (PostgreSQL, and
     * compatible images run through {@code PostgreSQLContainer}).
     */
    public static Endpoint of(JdbcDatabaseContainer<?> container) {
        return fromJdbcUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    /**
     * What {@link #of} makes of a container's JDBC URL and credentials: the URL's server and database, the
     * given user and password (never looked up in the environment), and TLS off unless the URL asks for it
     * (test containers have no certificate).
     */
    public static Endpoint fromJdbcUrl(String jdbcUrl, String user, String password) {
        // no environment: PGPASSWORD or ~/.pgpass of the machine running the tests must not leak in
        Endpoint endpoint = Endpoint.parse(jdbcUrl, Map.of()).withUser(user, password);
        return jdbcUrl.contains("sslmode=") ? endpoint : endpoint.withoutSsl();
    }
}
