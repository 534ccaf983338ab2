package io.pgrelocate.core;

/**
 * Hears about a migration's progress. Every method is a no-op by default, so implement only what you
 * need. Listeners run on the migration's threads, possibly several at once: return fast and be
 * thread-safe. A listener that throws is logged and ignored.
 *
 * <pre>{@code
 * MigrationListener printer = new MigrationListener() {
 *     public void onTableCopyProgress(MigrationEvent.TableCopyProgress e) {
 *         System.out.println(e.table() + ": " + e.rows() + " rows");
 *     }
 * };
 * }</pre>
 */
public interface MigrationListener {
    /** A listener that hands every event to {@code consumer}. */
    static MigrationListener of(java.util.function.Consumer<MigrationEvent> consumer) {
        return new MigrationListener() {
            @Override
            public void onEvent(MigrationEvent event) {
                consumer.accept(event);
            }
        };
    }

    /** Called for every event, before the event's own method. */
    default void onEvent(MigrationEvent event) {
    }

    default void onMigrationStarted(MigrationEvent.MigrationStarted event) {
    }

    default void onPhaseStarted(MigrationEvent.PhaseStarted event) {
    }

    default void onPhaseCompleted(MigrationEvent.PhaseCompleted event) {
    }

    default void onPhaseFailed(MigrationEvent.PhaseFailed event) {
    }

    default void onSchemaWarning(MigrationEvent.SchemaWarning event) {
    }

    default void onTableCopyProgress(MigrationEvent.TableCopyProgress event) {
    }

    default void onCopyPlanned(MigrationEvent.CopyPlanned event) {
    }

    default void onPostDataProgress(MigrationEvent.PostDataProgress event) {
    }

    default void onLagUpdated(MigrationEvent.LagUpdated event) {
    }

    default void onCaughtUp(MigrationEvent.CaughtUp event) {
    }

    default void onCutoverStarted(MigrationEvent.CutoverStarted event) {
    }

    default void onCutoverCompleted(MigrationEvent.CutoverCompleted event) {
    }

    default void onMigrationCompleted(MigrationEvent.MigrationCompleted event) {
    }

    default void onMigrationStopped(MigrationEvent.MigrationStopped event) {
    }

    default void onMigrationFailed(MigrationEvent.MigrationFailed event) {
    }
}
