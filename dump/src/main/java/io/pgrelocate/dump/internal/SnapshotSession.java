package io.pgrelocate.dump.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A source connection inside a REPEATABLE READ, READ ONLY transaction at one snapshot: either the one
 * that exported it (and must stay open while others import it) or one that imported it. Not thread-safe.
 */
public final class SnapshotSession implements AutoCloseable {
    private final Connection connection;
    private final String snapshotId;

    private SnapshotSession(Connection connection, String snapshotId) {
        this.connection = connection;
        this.snapshotId = snapshotId;
    }

    /** Opens a transaction on {@code database} and exports its snapshot. */
    public static SnapshotSession export(PgConnector source, String database) {
        Connection c = source.open(database, "snapshot");
        try {
            begin(c);
            String id;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                id = rs.getString(1);
            }
            noJit(c);
            return new SnapshotSession(c, id);
        } catch (SQLException e) {
            closeQuietly(c);
            throw PgErrors.failed(ErrorCode.COPY_FAILED, "cannot export a snapshot of source database " + database, e);
        }
    }

    /** Opens a transaction on {@code database} at the snapshot {@code snapshotId} exported elsewhere. */
    public static SnapshotSession importing(PgConnector source, String database, String snapshotId, String purpose) {
        Connection c = source.open(database, purpose);
        try {
            begin(c);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION SNAPSHOT " + Sql.literal(snapshotId));
            }
            noJit(c);
            return new SnapshotSession(c, snapshotId);
        } catch (SQLException e) {
            closeQuietly(c);
            throw PgErrors.failed(ErrorCode.COPY_FAILED, "cannot import snapshot " + snapshotId + " in source database "
                    + database + " (the session that exported it must stay open until the copy ends)", e);
        }
    }

    /**
     * Ends this transaction, releasing its locks, and opens a new one at the same snapshot (which the exporting
     * session must still hold), so a session that copies thousands of tables never holds thousands of locks.
     */
    public void restart() throws SQLException {
        connection.rollback();
        begin(connection);
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION SNAPSHOT " + Sql.literal(snapshotId));
        }
    }

    private static void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            // a long copy must not be cut short by the server's own limits
            st.execute("SET LOCAL statement_timeout = 0");
            st.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
        }
    }

    /**
     * The catalog queries of the schema and the COPY of a table's block range cost enough to be JIT-compiled,
     * which took 8.7 s of a 9.5 s privileges query on a busy machine (pg_dump turns JIT off too). After the
     * snapshot is set (no query may come before it); a server without JIT (before 11) has no row to set.
     */
    private static void noJit(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT set_config(name, 'off', true) FROM pg_settings WHERE name = 'jit'");
        }
    }

    public Connection connection() {
        return connection;
    }

    public String snapshotId() {
        return snapshotId;
    }

    @Override
    public void close() {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the transaction only read; closing ends it either way
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing useful to report on close
        }
    }
}
