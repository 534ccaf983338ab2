package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.spi.PgConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads the source's current WAL position, for lag; reconnects quietly when the source went away. */
final class SourceMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceMonitor.class);

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
     * The source's current WAL position and, for {@code slot}'s walsender, the server's own replay lag
     * (how long ago the last change we confirmed was written; zero when nothing is pending).
     */
    record Sample(Lsn current, java.time.Duration replayLag) {
    }

    Optional<Sample> sample(String slot) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = source.open(database, "monitor");
            }
            try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT pg_current_wal_insert_lsn()::text, "
                    + "(SELECT extract(epoch FROM r.replay_lag) FROM pg_replication_slots s JOIN pg_stat_replication r "
                    + "ON r.pid = s.active_pid WHERE s.slot_name = ?)")) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double lag = rs.getDouble(2);
                    return Optional.of(new Sample(Lsn.parse(rs.getString(1)),
                            java.time.Duration.ofMillis((long) (lag * 1000))));
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("cannot read the source's WAL position of {}: {}", database, e.getMessage());
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
