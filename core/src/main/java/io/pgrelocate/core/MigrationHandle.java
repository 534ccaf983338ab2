package io.pgrelocate.core;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Watches and steers a running migration. Every method is thread-safe.
 *
 * <pre>{@code
 * MigrationHandle handle = migration.start();
 * handle.awaitCaughtUp(Duration.ofHours(6));
 * handle.cutover(Duration.ofMinutes(10));
 * }</pre>
 */
public interface MigrationHandle {
    String migrationId();

    MigrationState state();

    /** The live status, as this process sees it. */
    MigrationStatus status();

    /**
     * Waits until the migration has ended and returns how it ended.
     *
     * @throws PgRelocateException the migration's own failure, or {@link ErrorCode#TIMEOUT}
     */
    MigrationState await(Duration timeout);

    /** Waits until every database is streaming (continuous) or done; false on timeout. */
    boolean awaitCaughtUp(Duration timeout);

    /** Asks a continuous migration to cut over; returns at once. */
    void requestCutover();

    /**
     * Cuts over and waits until it has completed.
     *
     * @throws PgRelocateException if it fails or does not complete in time
     */
    void cutover(Duration timeout);

    /** Asks the migration to stop, keeping what was copied; returns at once. */
    void requestStop();

    /** Stops and waits at most {@code timeout} for the migration to end. */
    MigrationState stop(Duration timeout);

    /** Completes with the final state when the migration ends (exceptionally if it fails). */
    CompletionStage<MigrationState> completion();
}
