package io.pgrelocate.core;

import io.pgrelocate.core.internal.AbandonedRuns;
import io.pgrelocate.core.internal.StateStore;
import io.pgrelocate.core.spi.PgConnector;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Watches and steers migrations from any process, through the state tables on the target: what the
 * CLI's {@code status}, {@code stop} and {@code cutover} use. Not thread-safe (one connection).
 *
 * <pre>{@code
 * try (MigrationControl control = MigrationControl.connect(Endpoint.parse("postgresql://admin@new-host/postgres"))) {
 *     control.statuses().forEach(System.out::println);
 *     control.requestCutover("default");
 * }
 * }</pre>
 */
public final class MigrationControl implements AutoCloseable {
    private final Connection connection;
    private final StateStore store;
    private final String schema;

    private MigrationControl(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
        this.store = new StateStore(connection, schema);
    }

    public static MigrationControl connect(Endpoint target) {
        return connect(target, "pgrelocate");
    }

    public static MigrationControl connect(Endpoint target, String stateSchema) {
        return new MigrationControl(new PgConnector(target, "target").open("control"), stateSchema);
    }

    /**
     * Every migration recorded on the target, oldest first; empty when none. A run whose process is gone
     * (no heartbeat for 10 s and no session holding its lock: killed, or its machine lost) is reported, and
     * recorded when this role may write the state, as FAILED with an error saying so, never as RUNNING;
     * starting the same migration again resumes it.
     */
    public List<MigrationStatus> statuses() {
        if (store.exists()) {
            AbandonedRuns.markFailed(connection, schema);
        }
        return store.statuses();
    }

    public Optional<MigrationStatus> status(String migrationId) {
        return statuses().stream().filter(s -> s.migrationId().equals(migrationId)).findFirst();
    }

    /**
     * How long ago the running process last wrote its heartbeat; a large value means no process is
     * running the migration (it crashed or was killed), and starting it again resumes it.
     */
    public Optional<Duration> heartbeatAge(String migrationId, Instant now) {
        return store.heartbeat(migrationId).map(h -> Duration.between(h, now));
    }

    /** Asks the running migration to stop, keeping what was copied. */
    public void requestStop(String migrationId) {
        request(migrationId, "stop");
    }

    /** Asks the running continuous migration to cut over. */
    public void requestCutover(String migrationId) {
        request(migrationId, "cutover");
    }

    private void request(String migrationId, String action) {
        if (!store.exists() || !store.requestAction(migrationId, action)) {
            throw new PgRelocateException(ErrorCode.NO_MIGRATION, "no migration '" + migrationId
                    + "' is recorded in schema " + schema + " on this target");
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a control connection cannot fail in a way the caller can act on
        }
    }
}
