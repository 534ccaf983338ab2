package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.PgConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The migration's control thread: writes trackers and the heartbeat to the state tables, picks up
 * actions requested by other processes, and stops the migration at its deadline. It alone uses the
 * state connection while the migration runs, and reconnects when that connection breaks.
 */
final class ControlLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    private final MigrationConfig config;
    private final PgConnector target;
    private final RunContext context;
    private final Instant deadline;
    private final Supplier<MigrationState> state;
    private final Object wake = new Object();
    private volatile boolean running = true;
    private boolean pendingFlush;
    private Connection connection;
    private StateStore store;
    private Instant lastWarning = Instant.EPOCH;
    /** Whether the current state connection holds the migration's lock; false between a reconnect and relock. */
    private boolean locked = true;
    /** The backend of the connection that held the lock last: after a reconnect it may not have ended yet. */
    private Integer lockBackend;
    private volatile boolean lockLost;

    ControlLoop(MigrationConfig config, PgConnector target, Connection connection, RunContext context,
                Instant deadline, Supplier<MigrationState> state) {
        this.config = config;
        this.target = target;
        this.connection = connection;
        this.store = new StateStore(connection, config.stateSchema());
        this.context = context;
        this.deadline = deadline;
        this.state = state;
        this.lockBackend = backendPid(connection);
    }

    /** Asks for a flush now (after a phase change). Thread-safe. */
    void wake() {
        synchronized (wake) {
            pendingFlush = true;
            wake.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable e) {
            // without this thread nothing records progress or sees a stop or the deadline: the run cannot go on
            log.error("the control thread of migration {} failed: {}", config.migrationId(), e.toString(), e);
            running = false;
            context.halt(new PgRelocateException(ErrorCode.INTERNAL, "the control thread of migration "
                    + config.migrationId() + " failed: " + e, e));
        }
    }

    private void loop() {
        while (running) {
            tick();
            synchronized (wake) {
                if (!pendingFlush && running) {
                    try {
                        wake.wait(config.statusInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                pendingFlush = false;
            }
        }
    }

    /**
     * Ends the loop and hands back the state connection (reopened if it broke), after one last flush; null when
     * another process took the migration over, whose state is then no longer ours to write.
     */
    Connection shutdown(Thread thread) throws InterruptedException {
        running = false;
        wake();
        thread.join();
        if (lockLost) {
            closeQuietly();
            return null;
        }
        tick();
        return connection;
    }

    private void tick() {
        if (lockLost) {
            return;
        }
        try {
            ensureConnection();
            if (!locked && !relock()) {
                return;
            }
            Instant now = config.clock().instant();
            for (Tracker t : context.trackers()) {
                store.updateDatabase(config.migrationId(), t.snapshot());
            }
            store.updateMigration(config.migrationId(), state.get(), null, now);
            store.requestedAction(config.migrationId()).ifPresent(action -> {
                if (action.equals("stop")) {
                    context.requestStop("stop requested through the state table");
                } else if (action.equals("cutover")) {
                    context.requestCutover();
                } else if (action.equals(StateStore.VERIFIED_CUTOVER)) {
                    context.requestVerifiedCutover();
                }
            });
            if (!now.isBefore(deadline)) {
                context.requestStop("maximum duration of " + config.maxDuration() + " reached");
            }
        } catch (PgRelocateException e) {
            Instant now = Instant.now();
            if (now.isAfter(lastWarning.plusSeconds(30))) {
                log.warn("cannot write the migration state to the target, will retry: {}", e.getMessage());
                lastWarning = now;
            }
            closeQuietly();
        }
    }

    private void ensureConnection() {
        try {
            if (connection != null && !connection.isClosed()) {
                return;
            }
        } catch (SQLException e) {
            closeQuietly();
        }
        connection = target.open("state");
        store = new StateStore(connection, config.stateSchema());
        locked = false;
    }

    /**
     * Takes the migration's lock again after a reconnect. Our own old session may still hold it (the server has
     * not yet seen its connection die): it is ended, and the lock taken at a later tick. Any other holder is a
     * second process running this migration: this run halts, so that never two apply the same stream.
     */
    private boolean relock() {
        String id = config.migrationId();
        if (store.tryLock(id)) {
            locked = true;
            lockBackend = backendPid(connection);
            return true;
        }
        Integer holder = store.lockHolder(id).orElse(null);
        if (holder == null || holder.equals(lockBackend)) {
            log.info("after reconnecting, the lock of migration '{}' is still held by this process's old session "
                    + "(pid {}); ending that session", id, holder);
            terminate(holder);
            return false;
        }
        lockLost = true;
        running = false;
        closeQuietly();
        PgRelocateException cause = new PgRelocateException(ErrorCode.STATE_CONFLICT, "lost the lock of migration '"
                + id + "': after the state connection to the target broke, another process (backend pid " + holder
                + ") took this migration over; this process halts so that only one applies its changes (slots and "
                + "state are kept; watch the other one with 'status')");
        log.error("{}", cause.getMessage());
        context.halt(cause);
        return false;
    }

    private void terminate(Integer pid) {
        if (pid == null) {
            return;
        }
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            ps.execute();
        } catch (SQLException e) {
            throw new PgRelocateException(ErrorCode.CONNECTION_FAILED, "cannot end the old state session (pid " + pid
                    + "): " + e.getMessage(), e);
        }
    }

    private static Integer backendPid(Connection c) {
        try {
            return c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            return null;
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // a broken connection is replaced on the next tick
        }
        connection = null;
    }
}
