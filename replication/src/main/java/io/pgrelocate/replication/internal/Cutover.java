package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.FenceMode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One cutover attempt: fence the source, drain every database to the source's WAL position, and leave the fence
 * in place only when every database completed. A stop, the deadline ({@code cutoverTimeout}), a failing database
 * or any exception lifts the fence before returning. Runs on the engine's thread; not thread-safe.
 */
public final class Cutover {
    private static final Logger log = LoggerFactory.getLogger(Cutover.class);
    private static final long TICK_NANOS = 100_000_000L;

    private final MigrationContext context;
    private final List<DatabaseReplicator> replicators;
    private final SourceFence fence;

    public Cutover(MigrationContext context, List<DatabaseReplicator> replicators) {
        this.context = context;
        this.replicators = replicators;
        this.fence = new SourceFence(context.source(), context.migrationId());
    }

    /** Lifts the fences a killed run of this migration left, so a resumed run starts with a writable source. */
    public static void liftLeftoverFences(MigrationContext context) {
        SourceFence fence = new SourceFence(context.source(), context.migrationId());
        for (String db : fence.fenced(context.migrationId()).keySet()) {
            log.warn("source database {} is still fenced by an earlier run of this migration; lifting it", db);
            fence.lift(db);
        }
    }

    /** Runs the cutover; throws when it fails (the fence lifted, the slots kept for a resume). */
    public void run() {
        Instant started = context.clock().instant();
        context.emit(new MigrationEvent.CutoverStarted(started));
        replicators.forEach(r -> context.tracker(r.database()).enter(Phase.CUTTING_OVER));
        FenceMode mode = context.config().replication().fence();
        List<String> fenced = new ArrayList<>();
        boolean completed = false;
        try {
            if (mode != FenceMode.NONE) {
                for (DatabaseReplicator r : replicators) {
                    fenced.add(r.database());
                    fence.fence(r.database(), mode);
                }
            }
            Lsn target = fence.currentWal();
            log.info("cutover: applying everything up to {}", target);
            replicators.forEach(r -> r.drain(target));
            completed = awaitDrain(started.plus(context.config().replication().cutoverTimeout()), target);
        } finally {
            if (!completed && !fenced.isEmpty()) {
                log.info("cutover did not complete: lifting the source fence");
                fenced.forEach(fence::lift);
            }
        }
        if (completed) {
            Instant now = context.clock().instant();
            context.emit(new MigrationEvent.CutoverCompleted(Duration.between(started, now), now));
        }
    }

    /** True when every database finished its cutover; false on a stop or a failure; throws past the deadline. */
    private boolean awaitDrain(Instant deadline, Lsn target) {
        while (!replicators.stream().allMatch(DatabaseReplicator::isFinished)) {
            if (context.stopRequested()) {
                // the fence comes off at once: a stopped migration applies nothing more that it would guard
                replicators.forEach(r -> r.mode(Mode.STOP));
                return false;
            }
            if (replicators.stream().anyMatch(r -> r.failure() != null)) {
                replicators.forEach(r -> r.mode(Mode.HALT));
                return false;
            }
            if (context.clock().instant().isAfter(deadline)) {
                List<String> behind = replicators.stream().filter(r -> !r.isFinished())
                        .map(DatabaseReplicator::database).toList();
                replicators.forEach(r -> r.mode(Mode.HALT));
                throw new PgRelocateException(ErrorCode.TIMEOUT, "cutover did not finish within "
                        + context.config().replication().cutoverTimeout() + ": database(s) " + behind
                        + " had not applied the source's changes up to " + target + " (a stalled or lagging "
                        + "stream); the source fence was lifted and the slots kept, so the migration can resume "
                        + "and cut over again (allow more time with cutoverTimeout / --cutover-timeout)");
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
        return replicators.stream().allMatch(r -> r.failure() == null);
    }
}
