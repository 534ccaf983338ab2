package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Lag and catch-up of one database's stream: compares what is confirmed with the source's current WAL
 * position every status interval, reports lag, and moves the database from CATCHING_UP to STREAMING
 * once it has applied everything the source had written when the stream began.
 */
final class StreamProgress {
    private final MigrationContext context;
    private final String database;
    private final SourceMonitor monitor;
    private final String slot;
    private Lsn catchUpTarget;
    private long nextReport;

    StreamProgress(MigrationContext context, String database, String slot) {
        this.context = context;
        this.database = database;
        this.slot = slot;
        this.monitor = new SourceMonitor(context.source(), database);
    }

    void close() {
        monitor.close();
    }

    /** The stream (re)starts: catching up means reaching the source's position as of now. */
    void begin() {
        catchUpTarget = monitor.currentWal().orElse(Lsn.INVALID);
    }

    ApplyLoop.Listener listener(DatabaseTracker tracker, Predicate<Lsn> keepGoing) {
        return new ApplyLoop.Listener() {
            @Override
            public void applied(Lsn commitLsn, long commitTimeMicros) {
                tracker.applied(commitLsn);
            }

            @Override
            public boolean idle(Lsn confirmed) {
                long now = System.nanoTime();
                if (now >= nextReport) {
                    nextReport = now + context.config().statusInterval().toNanos();
                    report(tracker, confirmed);
                }
                return keepGoing.test(confirmed);
            }
        };
    }

    private void report(DatabaseTracker tracker, Lsn confirmed) {
        SourceMonitor.Sample sample = monitor.sample(slot).orElse(null);
        if (sample == null) {
            return;
        }
        // the slot's position as the source knows it: a stalled stream confirms nothing, whatever we hold
        Lsn slotAt = sample.confirmedFlush().isValid() ? sample.confirmedFlush() : confirmed;
        long lagBytes = sample.current().bytesAfter(slotAt);
        Duration lagTime = sample.replayLag();
        Instant now = context.clock().instant();
        tracker.lag(lagBytes, lagTime);
        context.emit(new MigrationEvent.LagUpdated(database, lagBytes, lagTime, now));
        if (tracker.phase() == Phase.CATCHING_UP && confirmed.isValid() && confirmed.compareTo(catchUpTarget) >= 0) {
            tracker.enter(Phase.STREAMING);
            context.emit(new MigrationEvent.CaughtUp(database, confirmed, now));
        }
    }
}
