package io.pgrelocate.core;

import java.time.Instant;

/**
 * How a finished migration ended, as recorded on the target: kept after a completed or stopped run has
 * removed its state rows (for {@code OutcomeStore.KEPT}, 30 days), so another process can still tell.
 *
 * @param state COMPLETED, STOPPED or FAILED
 * @param error why it failed or stopped, or null
 */
public record MigrationOutcome(String migrationId, Mode mode, MigrationState state, String source,
                               Instant startedAt, Instant endedAt, String error) {
}
