package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.SslMode;
import io.pgrelocate.core.spi.ClusterInspector;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.ServerInfo;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One server under inspection: a connection to the endpoint's database, what the server is, its settings
 * and databases. Opening it checks reachability, login, TLS and a pooler in front.
 */
public final class ServerSession implements AutoCloseable {
    private static final String SETTINGS = "SELECT name, setting FROM pg_settings WHERE name IN ('wal_level', "
            + "'max_replication_slots', 'max_wal_senders', 'max_slot_wal_keep_size', 'wal_sender_timeout', "
            + "'listen_addresses')";

    private final PgConnector connector;
    private final Connection connection;
    private final ServerInfo info;
    private final Map<String, String> settings;
    private final List<DatabaseInfo> databases;
    private final boolean canCreateDatabases;

    private ServerSession(PgConnector connector, Connection connection) throws SQLException {
        this.connector = connector;
        this.connection = connection;
        this.info = ClusterInspector.server(connection);
        this.settings = Queries.map(connection, SETTINGS);
        this.databases = ClusterInspector.databases(connection);
        this.canCreateDatabases = Queries.bool(connection,
                "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user");
    }

    /** Connects; on failure records why and returns empty. */
    public static Optional<ServerSession> open(PgConnector connector, Findings findings) {
        Connection c;
        try {
            c = connector.open("preflight");
        } catch (PgRelocateException e) {
            if (e.getMessage().contains("does not support SSL")) {
                findings.error(FindingCode.SSL_UNAVAILABLE, connector.role(), "the " + connector.role() + " does not "
                        + "offer TLS, and sslmode=" + connector.endpoint().sslMode().libpqName() + " requires it",
                        "ALTER SYSTEM SET ssl = on;   -- on the " + connector.role() + ", with ssl_cert_file and "
                        + "ssl_key_file in place\nSELECT pg_reload_conf();\n-- or, on a trusted network, connect "
                        + "with sslmode=disable (--disable-ssl)");
            } else {
                findings.error(connectCode(e.code()), connector.role(), e.getMessage(),
                        connectRemedy(e.code(), connector));
            }
            return Optional.empty();
        }
        try {
            ServerSession s = new ServerSession(connector, c);
            s.checkSsl(findings);
            s.checkPooler(findings);
            return Optional.of(s);
        } catch (SQLException e) {
            closeQuietly(c);
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot inspect the " + connector.role() + " server", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    static FindingCode connectCode(ErrorCode code) {
        return switch (code) {
            case AUTHENTICATION_FAILED -> FindingCode.AUTHENTICATION_FAILED;
            case DATABASE_NOT_FOUND -> FindingCode.DATABASE_NOT_FOUND;
            case PERMISSION_DENIED -> FindingCode.CONNECT_DENIED;
            default -> FindingCode.SERVER_UNREACHABLE;
        };
    }

    private static String connectRemedy(ErrorCode code, PgConnector connector) {
        String user = connector.endpoint().user();
        return switch (code) {
            case AUTHENTICATION_FAILED -> "check the user and password (URI, PGPASSWORD or ~/.pgpass), and that "
                    + "pg_hba.conf has a line for this client, such as: host all " + Sql.ident(user) + " <client-address>/32 "
                    + "scram-sha-256; then SELECT pg_reload_conf();";
            case DATABASE_NOT_FOUND -> "name an existing database in the " + connector.role() + " URI, such as postgres";
            case PERMISSION_DENIED -> "GRANT CONNECT ON DATABASE " + Sql.ident(connector.endpoint().database())
                    + " TO " + Sql.ident(user) + ";";
            default -> "check host and port, that the server runs, its listen_addresses (ALTER SYSTEM SET "
                    + "listen_addresses = '*'; then restart) and any firewall in between";
        };
    }

    private void checkSsl(Findings findings) throws SQLException {
        List<List<String>> ssl = Queries.rows(connection,
                "SELECT ssl::text, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        boolean encrypted = !ssl.isEmpty() && "true".equals(ssl.get(0).get(0));
        SslMode asked = connector.endpoint().sslMode();
        if (encrypted) {
            findings.info(FindingCode.SSL_NEGOTIATED, role(), "TLS in use (" + ssl.get(0).get(1) + ", "
                    + ssl.get(0).get(2) + "; sslmode=" + asked.libpqName() + ")", "");
        } else if ((asked == SslMode.PREFER || asked == SslMode.ALLOW) && !isLoopback(connector.endpoint().host())) {
            findings.warning(FindingCode.SSL_NOT_USED, role(), "the connection is not encrypted: sslmode="
                    + asked.libpqName() + " fell back to plain text, so data and credentials cross the network "
                    + "in clear", "enable TLS on the server (ALTER SYSTEM SET ssl = on; with ssl_cert_file and "
                    + "ssl_key_file, then SELECT pg_reload_conf();) and use sslmode=require, or turn TLS off "
                    + "explicitly with sslmode=disable / --disable-ssl on a trusted network");
        } else {
            findings.info(FindingCode.SSL_NEGOTIATED, role(), "no TLS (sslmode=" + asked.libpqName() + ")", "");
        }
    }

    // a pooler in transaction mode hands each transaction to any server backend: exported snapshots,
    // session settings and advisory locks would silently stop working
    private void checkPooler(Findings findings) throws SQLException {
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            pids.add(Queries.value(connection, "SELECT pg_backend_pid()"));
        }
        if (pids.size() > 1) {
            findings.warning(FindingCode.POOLER_TRANSACTION_MODE, role(), "consecutive statements ran on "
                    + pids.size() + " different server backends: a connection pooler in transaction mode sits in "
                    + "front of the " + role(), "connect to the PostgreSQL server directly (its own host and port, "
                    + "usually 5432), or through the pooler in session mode");
        }
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.startsWith("127.") || h.startsWith("/");
    }

    public String role() {
        return connector.role();
    }

    public PgConnector connector() {
        return connector;
    }

    public Connection connection() {
        return connection;
    }

    public ServerInfo info() {
        return info;
    }

    /** A setting as {@code pg_settings.setting} shows it (in its base unit), or null if not visible. */
    public String setting(String name) {
        return settings.get(name);
    }

    public List<DatabaseInfo> databases() {
        return databases;
    }

    public Optional<DatabaseInfo> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public boolean canCreateDatabases() {
        return canCreateDatabases;
    }

    public String user() {
        return info.currentUser();
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // read-only inspection: nothing to lose
        }
    }
}
