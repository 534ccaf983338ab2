package io.pgrelocate.core.spi;

import io.pgrelocate.core.Endpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens connections to one server (the source or the target) with the settings every pgrelocate
 * connection shares, and turns connection failures into one clear {@link io.pgrelocate.core.PgRelocateException}.
 * Immutable and thread-safe; the caller closes what it opens.
 */
public final class PgConnector {
    private final Endpoint endpoint;
    private final String role;

    /**
     * @param role {@code "source"} or {@code "target"}: names the server in error messages
     */
    public PgConnector(Endpoint endpoint, String role) {
        this.endpoint = endpoint;
        this.role = role;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public String role() {
        return role;
    }

    /** A connection to the endpoint's own database. */
    public Connection open(String purpose) {
        return open(endpoint.database(), purpose);
    }

    /** A plain SQL connection to {@code database}; autocommit on. */
    public Connection open(String database, String purpose) {
        return open(database, purpose, Map.of());
    }

    /** As {@link #open(String, String)}, with extra pgjdbc properties (such as {@code stringtype}). */
    public Connection open(String database, String purpose, Map<String, String> driverProperties) {
        Endpoint e = endpoint.withDatabase(database);
        Properties props = properties(e, purpose);
        props.putAll(driverProperties);
        try {
            return DriverManager.getConnection(e.jdbcUrl(), props);
        } catch (SQLException ex) {
            throw PgErrors.connectFailed(role, e, ex);
        }
    }

    /**
     * A logical replication connection ({@code replication=database}) to {@code database}, usable with
     * pgjdbc's replication API and for replication commands such as {@code CREATE_REPLICATION_SLOT}.
     */
    public Connection openReplication(String database, String purpose) {
        Endpoint e = endpoint.withDatabase(database);
        Properties props = properties(e, purpose);
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        try {
            return DriverManager.getConnection(e.jdbcUrl(), props);
        } catch (SQLException ex) {
            throw PgErrors.connectFailed(role, e, ex);
        }
    }

    private static Properties properties(Endpoint e, String purpose) {
        Properties props = e.driverProperties();
        props.putIfAbsent("ApplicationName", "pgrelocate/" + purpose);
        // 0 = wait forever: long COPYs and idle replication streams must not time out (pgjdbc issue 4328)
        props.setProperty("socketTimeout", "0");
        props.setProperty("tcpKeepAlive", "true");
        props.putIfAbsent("connectTimeout", "15");
        return props;
    }

    @Override
    public String toString() {
        return role + " " + endpoint.display();
    }
}
