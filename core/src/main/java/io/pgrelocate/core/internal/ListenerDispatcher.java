package io.pgrelocate.core.internal;

import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Delivers events to listeners on the calling thread; a listener that throws is logged and skipped. */
public final class ListenerDispatcher {
    private static final Logger log = LoggerFactory.getLogger(ListenerDispatcher.class);

    private final List<MigrationListener> listeners;

    public ListenerDispatcher(List<MigrationListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    public void emit(MigrationEvent event) {
        for (MigrationListener l : listeners) {
            try {
                l.onEvent(event);
                deliver(l, event);
            } catch (RuntimeException e) {
                log.warn("listener {} threw on {} and was ignored", l.getClass().getName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }

    private static void deliver(MigrationListener l, MigrationEvent event) {
        if (event instanceof MigrationEvent.MigrationStarted e) {
            l.onMigrationStarted(e);
        } else if (event instanceof MigrationEvent.PhaseStarted e) {
            l.onPhaseStarted(e);
        } else if (event instanceof MigrationEvent.PhaseCompleted e) {
            l.onPhaseCompleted(e);
        } else if (event instanceof MigrationEvent.PhaseFailed e) {
            l.onPhaseFailed(e);
        } else if (event instanceof MigrationEvent.SchemaWarning e) {
            l.onSchemaWarning(e);
        } else if (event instanceof MigrationEvent.TableCopyProgress e) {
            l.onTableCopyProgress(e);
        } else if (event instanceof MigrationEvent.CopyPlanned e) {
            l.onCopyPlanned(e);
        } else if (event instanceof MigrationEvent.PostDataProgress e) {
            l.onPostDataProgress(e);
        } else if (event instanceof MigrationEvent.LagUpdated e) {
            l.onLagUpdated(e);
        } else if (event instanceof MigrationEvent.CaughtUp e) {
            l.onCaughtUp(e);
        } else if (event instanceof MigrationEvent.CutoverStarted e) {
            l.onCutoverStarted(e);
        } else if (event instanceof MigrationEvent.CutoverCompleted e) {
            l.onCutoverCompleted(e);
        } else if (event instanceof MigrationEvent.MigrationCompleted e) {
            l.onMigrationCompleted(e);
        } else if (event instanceof MigrationEvent.MigrationStopped e) {
            l.onMigrationStopped(e);
        } else if (event instanceof MigrationEvent.MigrationFailed e) {
            l.onMigrationFailed(e);
        }
    }
}
