package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.MigrationContext;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds a replication stream that went silent: a stalled or half-open TCP path delivers no change, no keepalive
 * and no error, and the stream would wait forever. Asks the source, on a connection of its own, when the stream's
 * walsender last heard from us (we report every second); when that is longer ago than the stall timeout, the
 * replication connection is aborted (the stream then reconnects from the slot, exactly-once as after any
 * interruption) and the stale walsender ended so the slot is free again. Thread-safe.
 */
final class StallWatch {
    private static final Logger log = LoggerFactory.getLogger(StallWatch.class);
    private static final Duration FLOOR = Duration.ofSeconds(10);
    private static final Duration CEILING = Duration.ofMinutes(5);

    private final MigrationContext context;
    private final String database;
    private final String slot;

    StallWatch(MigrationContext context, String database, String slot) {
        this.context = context;
        this.database = database;
        this.slot = slot;
    }

    /** Watches {@code replication} (already streaming from the slot) until the returned guard is closed. */
    AutoCloseable watch(Connection replication) throws SQLException {
        int pid = replication.unwrap(PGConnection.class).getBackendPID();
        Guard guard = new Guard(replication, pid);
        Thread t = context.threads("stall-watch").newThread(guard::run);
        t.start();
        return guard;
    }

    /** The configured timeout, or twice the source's wal_sender_timeout within a floor and a ceiling. */
    static Duration timeout(Duration configured, Optional<Duration> walSenderTimeout) {
        if (configured != null) {
            return configured;
        }
        Duration twice = walSenderTimeout.filter(d -> !d.isZero()).map(d -> d.multipliedBy(2)).orElse(CEILING);
        return twice.compareTo(FLOOR) < 0 ? FLOOR : twice.compareTo(CEILING) > 0 ? CEILING : twice;
    }

    private final class Guard implements AutoCloseable {
        private final Connection replication;
        private final int pid;
        private volatile boolean closed;

        Guard(Connection replication, int pid) {
            this.replication = replication;
            this.pid = pid;
        }

        void run() {
            try (SourceMonitor monitor = new SourceMonitor(context.source(), database)) {
                Duration timeout = timeout(context.config().replication().stallTimeout(), monitor.walSenderTimeout());
                long period = Math.min(1_000_000_000L, timeout.toNanos() / 5);
                long lastHeard = System.nanoTime();
                while (!closed) {
                    LockSupport.parkNanos(period);
                    Optional<SourceMonitor.Sample> s = monitor.sample(slot);
                    if (s.isPresent() && s.get().walsenderPid() == pid && s.get().sinceReply() != null) {
                        lastHeard = Math.max(lastHeard, System.nanoTime() - s.get().sinceReply().toNanos());
                    }
                    if (!closed && System.nanoTime() - lastHeard > timeout.toNanos()) {
                        log.warn("database {}: the replication stream has been silent for more than {} s (a stalled "
                                + "or half-open connection); reconnecting", database, timeout.toSeconds());
                        abort();
                        // not pg_terminate_backend: a walsender whose send buffer the frozen path filled would block
                        // for good writing its FATAL message; wal_sender_timeout ends it without writing, and the
                        // stream's reconnect retries until the slot is free
                        return;
                    }
                }
            }
        }

        private void abort() {
            try {
                // closes the socket without the protocol's goodbye, which a frozen path would never deliver
                replication.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                log.debug("database {}: aborting the stalled stream: {}", database, e.getMessage());
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
