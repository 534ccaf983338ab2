package io.pgrelocate.testkit;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.spi.Sql;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A login role created for one test on one server (never a superuser unless asked), with its own password,
 * dropped again by {@link #close()} together with everything it owns or was granted in any database.
 * Roles are cluster-wide, so each name is unique in the JVM.
 *
 * <pre>{@code
 * try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION")) {
 *     pg.source().execute(db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + app.quoted());
 *     Migration.builder().source(app.endpoint("postgres"))...
 * }
 * }</pre>
 */
public final class TestRole implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final PostgresServer server;
    private final String name;
    private final String password;
    private boolean dropped;

    private TestRole(PostgresServer server, String name, String password) {
        this.server = server;
        this.name = name;
        this.password = password;
    }

    /** Creates {@code prefix_N_pid} with LOGIN, a password and the given role attributes (e.g. CREATEDB). */
    public static TestRole create(PostgresServer server, String prefix, String... attributes) {
        String name = prefix + "_" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid();
        String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        server.execute("postgres", "CREATE ROLE " + Sql.ident(name) + " LOGIN NOSUPERUSER " + String.join(" ", attributes)
                + " PASSWORD " + Sql.literal(password));
        return new TestRole(server, name, password);
    }

    public String name() {
        return name;
    }

    /** The name quoted for SQL. */
    public String quoted() {
        return Sql.ident(name);
    }

    /** This role's endpoint for {@code database} on its server, password included, TLS off. */
    public Endpoint endpoint(String database) {
        return Endpoint.parse(server.uri(name, password, database));
    }

    /**
     * Ends the role's sessions, hands what it owns (databases included) to the superuser, drops its
     * privileges in every database, then the role. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (dropped || !server.isRunning()) {
            return;
        }
        String role = Sql.ident(name);
        server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = "
                + Sql.literal(name));
        List<String> databases = server.queryColumn("postgres",
                "SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1");
        for (String db : databases) {
            // a database fenced by a cutover defaults to read-only transactions
            server.execute(db, "SET default_transaction_read_only = off",
                    "REASSIGN OWNED BY " + role + " TO " + PostgresServer.SUPERUSER,
                    "DROP OWNED BY " + role);
        }
        server.execute("postgres", "DROP ROLE " + role);
        dropped = true;
    }

    @Override
    public String toString() {
        return "role " + name + " on " + server;
    }
}
