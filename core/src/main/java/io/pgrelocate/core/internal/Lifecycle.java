package io.pgrelocate.core.internal;

import io.pgrelocate.core.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A run's {@link MigrationState}, changed only by compare-and-set, each change logged once. The end is reached
 * once: of several threads ending a run (the engine, a JVM shutdown), the first wins. Thread-safe.
 */
final class Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final String migrationId;
    private final AtomicReference<MigrationState> state = new AtomicReference<>(MigrationState.CREATED);

    Lifecycle(String migrationId) {
        this.migrationId = migrationId;
    }

    MigrationState get() {
        return state.get();
    }

    /** Moves {@code from} to {@code to}; false (and nothing logged) if the state was not {@code from}. */
    boolean move(MigrationState from, MigrationState to) {
        if (state.compareAndSet(from, to)) {
            log.info("migration {}: {} -> {}", migrationId, from, to);
            return true;
        }
        return false;
    }

    /** Moves to {@code to} from any state that has not ended; false if the run had ended. */
    boolean moveUnlessEnded(MigrationState to) {
        while (true) {
            MigrationState from = state.get();
            if (from.isTerminal()) {
                return false;
            }
            if (from == to || move(from, to)) {
                return from != to;
            }
        }
    }

    /**
     * Ends the run in {@code end} (a terminal state) unless it has ended already: true for the one caller that
     * ended it, who then records the end.
     */
    boolean end(MigrationState end) {
        if (!end.isTerminal()) {
            throw new IllegalArgumentException(end + " does not end a run");
        }
        boolean ended = moveUnlessEnded(end);
        if (!ended) {
            log.debug("migration {} has already ended {}; not {}", migrationId, state.get(), end);
        }
        return ended;
    }
}
