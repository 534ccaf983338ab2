package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.spi.PgConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads, on an ordinary connection of its own, the source's current WAL position and what the source knows of a
 * slot: how far it is confirmed and whether its walsender still hears from us. This is the source's view, true
 * even while the stream itself is stalled. Reconnects quietly when the source went away; a query never waits
 * longer than {@link #SOCKET_TIMEOUT} (a frozen path must not freeze the caller). Not thread-safe.
 */
final class SourceMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceMonitor.class);
    private static final Map<String, String> MONITOR_CONNECTION = Map.of("socketTimeout", "5");

    private final PgConnector source;
    private final String database;
    private Connection connection;

    SourceMonitor(PgConnector source, String database) {
        this.source = source;
        this.database = database;
    }

    /** The source's current WAL position, or empty while it cannot be reached. */
    Optional<Lsn> currentWal() {
        return sample(null).map(Sample::current);
    }

    /**
     * The source's current WAL position and, for the slot: its confirmed position ({@link Lsn#INVALID} when there
     * is no such slot), the server's replay lag (zero when nothing is pending), the pid of the walsender using it
     * (0 when none) and how long ago that walsender last heard from its client (null when unknown).
     */
    record Sample(Lsn current, Duration replayLag, Lsn confirmedFlush, int walsenderPid, Duration sinceReply) {
    }

    Optional<Sample> sample(String slot) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = source.open(database, "monitor", MONITOR_CONNECTION);
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_current_wal_insert_lsn()::text, "
                    + "extract(epoch FROM r.replay_lag), s.confirmed_flush_lsn::text, s.active_pid, "
                    + "extract(epoch FROM clock_timestamp() - r.reply_time) FROM (SELECT 1) one "
                    + "LEFT JOIN pg_replication_slots s ON s.slot_name = ? "
                    + "LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid")) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double sinceReply = rs.getDouble(5);
                    Duration reply = rs.wasNull() ? null : Duration.ofMillis((long) (sinceReply * 1000));
                    return Optional.of(new Sample(Lsn.parse(rs.getString(1)), Duration.ofMillis((long) (rs.getDouble(2)
                            * 1000)), rs.getString(3) == null ? Lsn.INVALID : Lsn.parse(rs.getString(3)), rs.getInt(4),
                            reply));
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("cannot read the source's WAL position of {}: {}", database, e.getMessage());
            close();
            return Optional.empty();
        }
    }

    /** The source's {@code wal_sender_timeout}, or empty when it cannot be read; zero means disabled. */
    Optional<Duration> walSenderTimeout() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = source.open(database, "monitor", MONITOR_CONNECTION);
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_sender_timeout'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Duration.ofMillis(rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            close();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // reconnects next time
            }
            connection = null;
        }
    }
}
