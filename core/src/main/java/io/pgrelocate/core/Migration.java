package io.pgrelocate.core;

import io.pgrelocate.core.internal.MigrationRunner;
import io.pgrelocate.core.internal.Services;

import java.time.Duration;

/**
 * The entry point: configure with {@link #builder()}, check with {@link #preflight()}, run with
 * {@link #start()}.
 *
 * <pre>{@code
 * try (Migration migration = Migration.builder()
 *         .source("postgresql://app@old-host:5432/postgres")
 *         .target("postgresql://admin@new-host:5432/postgres")
 *         .mode(Mode.CONTINUOUS)
 *         .ignoreDatabases("scratch")
 *         .build()) {
 *     MigrationHandle handle = migration.start();
 *     handle.awaitCaughtUp(Duration.ofHours(6));
 *     handle.cutover(Duration.ofMinutes(10));
 * }
 * }</pre>
 *
 * Thread-safe. {@link #close()} stops a migration still running (keeping what was copied).
 */
public final class Migration implements AutoCloseable {
    private final MigrationConfig config;
    private MigrationRunner runner;

    Migration(MigrationConfig config) {
        this.config = config;
    }

    public static MigrationBuilder builder() {
        return new MigrationBuilder();
    }

    public MigrationConfig config() {
        return config;
    }

    /**
     * Checks every prerequisite of this migration without changing anything.
     *
     * @throws PgRelocateException if the preflight module is not on the class path
     */
    public PreflightReport preflight() {
        return Services.preflight()
                .orElseThrow(() -> new PgRelocateException(ErrorCode.INVALID_CONFIG,
                        "no preflight checks found: depend on io.pgrelocate:pgrelocate (everything a migration "
                                + "needs) or add io.pgrelocate:pgrelocate-preflight"))
                .check(config);
    }

    /**
     * Runs preflight, then starts the migration in the background. Refuses to start (an
     * {@link ErrorCode#INVALID_CONFIG} exception naming the missing artifact) when the engine of the mode or
     * the preflight module is not on the class path: depend on {@code io.pgrelocate:pgrelocate}.
     * Resumes the same migration (same id) if it was interrupted.
     *
     * @throws PgRelocateException {@link ErrorCode#PREFLIGHT_FAILED} on blocking findings, or when it
     *                             cannot start
     */
    public synchronized MigrationHandle start() {
        if (runner != null) {
            throw new PgRelocateException(ErrorCode.STATE_CONFLICT, "migration '" + config.migrationId()
                    + "' was already started by this object; build a new Migration to run again");
        }
        runner = MigrationRunner.start(config);
        return runner;
    }

    /** Stops the migration if it is still running (bounded wait) and releases its resources. */
    @Override
    public synchronized void close() {
        if (runner != null && !runner.state().isTerminal()) {
            runner.stop(Duration.ofMinutes(2));
        }
    }
}
