package io.pgrelocate.core.internal;

import io.pgrelocate.core.spi.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Corrects the state of runs whose process is gone without a word (kill -9, a lost machine): a row still
 * saying RUNNING (or CUTTING_OVER, STOPPING) becomes FAILED, with an error saying so, once its heartbeat is
 * older than {@link #STALE_AFTER} and no session holds the run's advisory lock (a live process holds it on
 * its state connection for the whole run; it is released when that connection ends). A FAILED run keeps its
 * state, so starting the same migration again resumes it. Run by {@code MigrationControl} before it reads.
 */
public final class AbandonedRuns {
    private static final Logger log = LoggerFactory.getLogger(AbandonedRuns.class);
    /**
     * Many heartbeats (one per status interval, 1 s by default): long enough to cover a running process's
     * reconnect to the target, during which its lock is briefly not held.
     */
    static final Duration STALE_AFTER = Duration.ofSeconds(10);

    private AbandonedRuns() {
    }

    /** Marks abandoned runs FAILED; returns how many. A role that may not write the state is only logged. */
    public static int markFailed(Connection connection, String schema) {
        // the lock is pg_try_advisory_lock(hashtext(id)): a bigint key, shown by pg_locks in two halves
        String sql = "UPDATE " + Sql.qualified(schema, "migration") + " m SET state = 'FAILED', error = "
                + "'the process running this migration is gone (no heartbeat since ' || m.heartbeat_at "
                + "|| ', and no session holds its lock); start the same migration again to resume it' "
                + "WHERE m.state IN ('CREATED', 'RUNNING', 'CUTTING_OVER', 'STOPPING') "
                + "AND m.heartbeat_at < now() - make_interval(secs => ?) AND NOT EXISTS (SELECT 1 FROM pg_locks l "
                + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext(m.id)::bigint)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, STALE_AFTER.toSeconds());
            int marked = ps.executeUpdate();
            if (marked > 0) {
                log.warn("{} migration(s) whose process is gone marked FAILED (resumable)", marked);
            }
            return marked;
        } catch (SQLException e) {
            log.debug("cannot mark abandoned migrations in schema {}: {}", schema, e.getMessage());
            return 0;
        }
    }
}
