package io.pgrelocate.core.internal;

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

    ControlLoop(MigrationConfig config, PgConnector target, Connection connection, RunContext context,
                Instant deadline, Supplier<MigrationState> state) {
        this.config = config;
        this.target = target;
        this.connection = connection;
        this.store = new StateStore(connection, config.stateSchema());
        this.context = context;
        this.deadline = deadline;
        this.state = state;
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

    /** Ends the loop and hands back the state connection (reopened if it broke), after one last flush. */
    Connection shutdown(Thread thread) throws InterruptedException {
        running = false;
        wake();
        thread.join();
        tick();
        return connection;
    }

    private void tick() {
        try {
            ensureConnection();
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
        if (!store.tryLock(config.migrationId())) {
            log.warn("after reconnecting, the lock of migration '{}' is held by another process", config.migrationId());
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
