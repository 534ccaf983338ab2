package io.pgrelocate.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything a {@link MigrationListener} is told. Immutable records; {@code database} is the source
 * database's name, {@code at} the migration clock's time.
 */
public sealed interface MigrationEvent {
    Instant at();

    /**
     * The run has started; {@code totals} holds, per database, what its copy will count, for a progress bar:
     * the sums of {@link TableCopyProgress#rows()} and {@link TableCopyProgress#bytes()} over a database's
     * tables approach its {@code estimatedRows} and {@code estimatedBytes}.
     */
    record MigrationStarted(String migrationId, Mode mode, List<String> databases, List<DatabaseTotals> totals,
                            Instant at) implements MigrationEvent {
        public MigrationStarted {
            databases = List.copyOf(databases);
            totals = List.copyOf(totals);
        }

        /** Tables to copy, over all databases. */
        public int totalTables() {
            return totals.stream().mapToInt(DatabaseTotals::tables).sum();
        }

        public long totalEstimatedRows() {
            return totals.stream().mapToLong(DatabaseTotals::estimatedRows).sum();
        }

        public long totalEstimatedBytes() {
            return totals.stream().mapToLong(DatabaseTotals::estimatedBytes).sum();
        }
    }

    /**
     * What one database's copy is expected to move, read from the source's statistics when the run starts:
     * its tables (the ones holding rows: partitions, not their parents), their estimated rows
     * ({@code reltuples}; a table never analysed counts 0) and their size on the source in bytes (heap and
     * TOAST), the same estimates each table's {@link TableCopyProgress} carries. The bytes a copy counts are
     * COPY data, which the on-disk size approximates (usually from above: no tuple headers, no free space).
     */
    record DatabaseTotals(String database, int tables, long estimatedRows, long estimatedBytes) {
    }

    record PhaseStarted(String database, Phase phase, Instant at) implements MigrationEvent {
    }

    record PhaseCompleted(String database, Phase phase, Duration elapsed, Instant at) implements MigrationEvent {
    }

    record PhaseFailed(String database, Phase phase, PgRelocateException error, Instant at)
            implements MigrationEvent {
    }

    /** A warning about one schema object, such as one that cannot be reproduced. Sent before the copy. */
    record SchemaWarning(String database, String object, String message, Instant at) implements MigrationEvent {
    }

    /**
     * Copy progress of one table. {@code estimatedRows} and {@code estimatedBytes} come from the source's
     * statistics (-1 when unknown); {@code done} is true on the table's last event, whose counts are exact.
     */
    record TableCopyProgress(String database, String table, long rows, long bytes, long estimatedRows,
                             long estimatedBytes, boolean done, Instant at) implements MigrationEvent {
    }

    /**
     * A database's copy is planned: how many tables it copies and their estimated rows and bytes (from the
     * source's statistics and sizes, the same units as {@link TableCopyProgress}'s estimates; unknown ones
     * count as 0). Sent once per database, before its first {@link TableCopyProgress}.
     */
    record CopyPlanned(String database, int tables, long estimatedRows, long estimatedBytes, Instant at)
            implements MigrationEvent {
    }

    /**
     * Post-data progress of one database (indexes, constraints, triggers, statistics): {@code done} of
     * {@code total} statements have run; {@code object} is the one just finished.
     */
    record PostDataProgress(String database, int done, int total, String object, Instant at)
            implements MigrationEvent {
    }

    /** How far the target trails the source: WAL bytes not yet applied, and the age of the last applied commit. */
    record LagUpdated(String database, long lagBytes, Duration lagTime, Instant at) implements MigrationEvent {
    }

    /** The database's stream has applied everything the source had written when the copy ended. */
    record CaughtUp(String database, Lsn appliedLsn, Instant at) implements MigrationEvent {
    }

    record CutoverStarted(Instant at) implements MigrationEvent {
    }

    record CutoverCompleted(Duration elapsed, Instant at) implements MigrationEvent {
    }

    record MigrationCompleted(String migrationId, Duration elapsed, Instant at) implements MigrationEvent {
    }

    record MigrationStopped(String migrationId, String reason, Instant at) implements MigrationEvent {
    }

    record MigrationFailed(String migrationId, PgRelocateException error, Instant at) implements MigrationEvent {
    }
}
