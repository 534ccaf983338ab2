package io.pgrelocate.core.spi;

import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;

import java.time.Duration;

/**
 * One database's phase and counters. Phase changes emit {@code PhaseStarted}/{@code PhaseCompleted} and are
 * written to the state tables at once; counters are written every status interval. Thread-safe.
 */
public interface DatabaseTracker {
    String database();

    Phase phase();

    /** The phase the previous, interrupted run had reached, or null when there was none. */
    Phase previousPhase();

    /** Completes the current phase and enters {@code next}. */
    void enter(Phase next);

    void tablesPlanned(int total);

    /**
     * The copy is planned: its tables and the estimated rows and bytes they hold, in the units
     * {@link #copied} counts (-1 when unknown), which the state tables keep so that any reader can tell the
     * copy's progress and ETA.
     */
    default void copyPlanned(int tables, long estimatedRows, long estimatedBytes) {
        tablesPlanned(tables);
    }

    void tableDone();

    /** Adds to the rows and bytes copied. */
    void copied(long rows, long bytes);

    /** Resets the copy counters, for a copy that restarts from scratch. */
    void resetCopy();

    void applied(Lsn commitLsn);

    void lag(long bytes, Duration time);

    /** Marks the database FAILED with this error (and emits {@code PhaseFailed}). */
    void fail(PgRelocateException error);
}
