package io.pgrelocate.core;

import io.pgrelocate.core.internal.OutcomeStore;
import io.pgrelocate.core.internal.StateSchemaAccess;
import io.pgrelocate.core.internal.StateStore;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

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
     * Every unfinished (or failed, or kept) migration recorded on the target, oldest first; empty when none.
     * A migration whose process is gone (its lock is free and a heartbeat is overdue) reads as
     * {@link MigrationState#INTERRUPTED}, never as running. Finished runs are in {@link #outcomes()}.
     */
    public List<MigrationStatus> statuses() {
        return readingState(() -> {
            Instant now = Instant.now();
            List<MigrationStatus> out = new ArrayList<>();
            for (MigrationStatus s : store.statuses()) {
                out.add(s.state().isTerminal() || !processGone(s.migrationId(), now) ? s : interrupted(s));
            }
            return out;
        });
    }

    public Optional<MigrationStatus> status(String migrationId) {
        return statuses().stream().filter(s -> s.migrationId().equals(migrationId)).findFirst();
    }

    /** How finished migrations ended (kept {@code 30} days after the end), oldest first. */
    public List<MigrationOutcome> outcomes() {
        return readingState(() -> {
            try {
                return new OutcomeStore(connection, schema).outcomes();
            } catch (SQLException e) {
                throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the outcomes of finished migrations", e);
            }
        });
    }

    public Optional<MigrationOutcome> outcome(String migrationId) {
        return outcomes().stream().filter(o -> o.migrationId().equals(migrationId)).findFirst();
    }

    /**
     * How long ago the running process last wrote its heartbeat; a large value means no process is
     * running the migration (it crashed or was killed), and starting it again resumes it.
     */
    public Optional<Duration> heartbeatAge(String migrationId, Instant now) {
        return readingState(() -> store.heartbeat(migrationId).map(h -> Duration.between(h, now)));
    }

    /** How often the process running the migration writes its heartbeat (empty for older state tables). */
    public Optional<Duration> heartbeatInterval(String migrationId) {
        return readingState(() -> store.heartbeatInterval(migrationId));
    }

    /** Whether a process holds the migration (its session lock on the target); false once it died. */
    public boolean isProcessRunning(String migrationId) {
        return readingState(() -> store.isLocked(migrationId));
    }

    private boolean processGone(String id, Instant now) {
        if (store.isLocked(id)) {
            return false;
        }
        Duration interval = store.heartbeatInterval(id).orElse(Duration.ofSeconds(1));
        return store.heartbeat(id).map(h -> Duration.between(h, now).compareTo(interval) > 0).orElse(true);
    }

    private static MigrationStatus interrupted(MigrationStatus s) {
        return new MigrationStatus(s.migrationId(), s.mode(), MigrationState.INTERRUPTED, s.source(), s.startedAt(),
                s.deadline(), s.requestedAction(), s.error(), s.databases());
    }

    /**
     * Runs a read of the state tables; a finishing run drops them in the same transaction that records its
     * outcome, so a read that loses that race is simply repeated, and sees the outcome.
     */
    private <T> T readingState(Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (PgRelocateException e) {
                String state = e.getCause() instanceof SQLException q ? q.getSQLState() : null;
                if (("42P01".equals(state) || "3F000".equals(state)) && attempt < 5) {
                    continue;
                }
                if ("42501".equals(state)) {
                    throw StateSchemaAccess.denied(connection, schema, e);
                }
                throw e;
            }
        }
    }

    /** Asks the running migration to stop, keeping what was copied. */
    public void requestStop(String migrationId) {
        request(migrationId, "stop");
    }

    /** Asks the running continuous migration to cut over. */
    public void requestCutover(String migrationId) {
        request(migrationId, "cutover");
    }

    /**
     * Asks the running continuous migration to cut over; with {@code verifyData} the cutover also compares
     * every table's rows by checksum (the schema is always compared) and fails on a difference.
     */
    public void requestCutover(String migrationId, boolean verifyData) {
        request(migrationId, verifyData ? StateStore.VERIFIED_CUTOVER : "cutover");
    }

    private void request(String migrationId, String action) {
        if (!readingState(() -> store.exists() && store.requestAction(migrationId, action))) {
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
