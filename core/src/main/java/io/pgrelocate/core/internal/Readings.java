package io.pgrelocate.core.internal;

import io.pgrelocate.core.DatabaseStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent readings of one database's counters, so that each snapshot carries an earlier one (about
 * {@link #WINDOW} old once the run has gone that long) to tell rates from: a reader of the state tables then
 * needs one read, not two a while apart. At most one reading a second is kept. Not thread-safe.
 */
final class Readings {
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofSeconds(1);

    private final List<DatabaseStatus.Reading> recent = new ArrayList<>();

    /** Records {@code now} and returns the earlier reading to compare it with; null when there is none yet. */
    DatabaseStatus.Reading next(DatabaseStatus.Reading now) {
        DatabaseStatus.Reading last = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        if (last == null || !now.at().isBefore(last.at().plus(STEP))) {
            recent.add(now);
        }
        // once a lag is known, readings from before it (the copy) tell nothing about how it moves
        while (now.lagBytes() >= 0 && recent.size() > 1 && recent.get(0).lagBytes() < 0) {
            recent.remove(0);
        }
        // the head stays the newest reading at least WINDOW old: a rate over a window, not over one tick
        Instant windowStart = now.at().minus(WINDOW);
        while (recent.size() > 1 && !recent.get(1).at().isAfter(windowStart)) {
            recent.remove(0);
        }
        DatabaseStatus.Reading first = recent.get(0);
        return first.at().isBefore(now.at()) ? first : null;
    }

    /** Forgets every reading, when the counters restart from zero. */
    void clear() {
        recent.clear();
    }
}
