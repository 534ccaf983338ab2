package io.pgrelocate.core.internal;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** In-memory phase and counters of one database; the runner flushes it to the state tables. */
final class Tracker implements DatabaseTracker {
    private static final Logger log = LoggerFactory.getLogger(Tracker.class);

    private final String database;
    private final Phase previousPhase;
    private final Clock clock;
    private final Consumer<MigrationEvent> events;
    private final Runnable flushNow;

    private Phase phase = Phase.PENDING;
    private Instant phaseStarted;
    private int tablesTotal;
    private int tablesDone;
    private long rows;
    private long bytes;
    private Lsn applied;
    private long lagBytes = -1;
    private Duration lagTime;
    private String error;
    private long rowsPlanned = -1;
    private long bytesPlanned = -1;
    private final Readings readings = new Readings();

    Tracker(String database, Phase previousPhase, Clock clock, Consumer<MigrationEvent> events, Runnable flushNow) {
        this.database = database;
        this.previousPhase = previousPhase;
        this.clock = clock;
        this.events = events;
        this.flushNow = flushNow;
        this.phaseStarted = clock.instant();
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public synchronized Phase phase() {
        return phase;
    }

    @Override
    public Phase previousPhase() {
        return previousPhase;
    }

    @Override
    public void enter(Phase next) {
        Phase from;
        Instant now = clock.instant();
        Duration elapsed;
        synchronized (this) {
            if (phase == next) {
                return;
            }
            from = phase;
            elapsed = Duration.between(phaseStarted, now);
            phase = next;
            phaseStarted = now;
        }
        log.info("database {}: {} -> {}", database, from, next);
        if (from != Phase.PENDING && !from.isTerminal()) {
            events.accept(new MigrationEvent.PhaseCompleted(database, from, elapsed, now));
        }
        if (!next.isTerminal() || next == Phase.DONE) {
            events.accept(new MigrationEvent.PhaseStarted(database, next, now));
        }
        flushNow.run();
    }

    @Override
    public synchronized void tablesPlanned(int total) {
        tablesTotal = total;
        tablesDone = 0;
    }

    @Override
    public synchronized void copyPlanned(int tables, long estimatedRows, long estimatedBytes) {
        tablesPlanned(tables);
        rowsPlanned = estimatedRows;
        bytesPlanned = estimatedBytes;
    }

    @Override
    public synchronized void tableDone() {
        tablesDone++;
    }

    @Override
    public synchronized void copied(long rowCount, long byteCount) {
        rows += rowCount;
        bytes += byteCount;
    }

    @Override
    public synchronized void resetCopy() {
        rows = 0;
        bytes = 0;
        tablesDone = 0;
        readings.clear();
    }

    @Override
    public synchronized void applied(Lsn commitLsn) {
        applied = commitLsn;
    }

    @Override
    public synchronized void lag(long lagInBytes, Duration time) {
        lagBytes = lagInBytes;
        lagTime = time;
    }

    @Override
    public void fail(PgRelocateException e) {
        Phase failedIn;
        synchronized (this) {
            failedIn = phase;
            phase = Phase.FAILED;
            error = e.getMessage();
        }
        log.error("database {} failed in phase {}: {}", database, failedIn, e.getMessage());
        events.accept(new MigrationEvent.PhaseFailed(database, failedIn, e, clock.instant()));
        flushNow.run();
    }

    synchronized DatabaseStatus snapshot() {
        Instant now = clock.instant();
        DatabaseStatus.Reading earlier = readings.next(new DatabaseStatus.Reading(now, bytes, lagBytes));
        return new DatabaseStatus(database, phase, tablesTotal, tablesDone, rows, bytes, applied, lagBytes, lagTime,
                error, now, rowsPlanned, bytesPlanned, earlier);
    }

    /** Marks an unfinished database STOPPED (when the migration is stopped). */
    synchronized void stopIfRunning() {
        if (!phase.isTerminal()) {
            phase = Phase.STOPPED;
        }
    }
}
