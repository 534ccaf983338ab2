package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.MigrationEngine;
import io.pgrelocate.replication.internal.DatabaseReplicator;
import io.pgrelocate.replication.internal.SourceFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The continuous engine ({@link Mode#CONTINUOUS}): every database copied at its slot's snapshot and then
 * kept in step by logical replication, in parallel, until a cutover or a stop. Found through
 * {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class ReplicationEngine implements MigrationEngine {
    private static final Logger log = LoggerFactory.getLogger(ReplicationEngine.class);
    private static final Duration TICK = Duration.ofMillis(100);

    @Override
    public Mode mode() {
        return Mode.CONTINUOUS;
    }

    @Override
    public void run(MigrationContext context) {
        io.pgrelocate.dump.Roles.copy(context);
        List<DatabaseReplicator> replicators = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (DatabaseInfo db : context.databases()) {
            if (context.resumed() && context.tracker(db.name()).previousPhase() == Phase.DONE) {
                context.tracker(db.name()).enter(Phase.DONE);
                continue;
            }
            DatabaseReplicator r = new DatabaseReplicator(context, db);
            replicators.add(r);
            Thread t = context.threads("db").newThread(r);
            threads.add(t);
            t.start();
        }
        try {
            steer(context, replicators);
        } catch (RuntimeException e) {
            // a failed cutover step (a fence the role may not set) must not leave the streams running forever
            replicators.forEach(r -> r.mode(io.pgrelocate.replication.internal.Mode.HALT));
            throw e;
        } finally {
            join(threads);
        }
        for (DatabaseReplicator r : replicators) {
            if (r.failure() != null) {
                throw r.failure();
            }
        }
    }

    private void steer(MigrationContext context, List<DatabaseReplicator> replicators) {
        while (true) {
            PgRelocateException failure = replicators.stream().map(DatabaseReplicator::failure)
                    .filter(f -> f != null).findFirst().orElse(null);
            if (failure != null) {
                log.error("database failed, halting the others (their slots are kept to resume): {}",
                        failure.getMessage());
                replicators.forEach(r -> r.mode(io.pgrelocate.replication.internal.Mode.HALT));
                return;
            }
            if (context.stopRequested()) {
                log.info("stopping: {}", context.stopReason());
                replicators.forEach(r -> r.mode(io.pgrelocate.replication.internal.Mode.STOP));
                return;
            }
            if (replicators.stream().allMatch(DatabaseReplicator::isFinished)) {
                return;
            }
            if (context.cutoverRequested() && replicators.stream().allMatch(DatabaseReplicator::isStreaming)) {
                cutover(context, replicators);
                return;
            }
            try {
                // wakes at once on a stop or cutover request; a cutover waits here until all are streaming
                if (context.cutoverRequested() || context.stopRequested()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(TICK.toNanos());
                } else {
                    context.awaitSignal(TICK);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                replicators.forEach(r -> r.mode(io.pgrelocate.replication.internal.Mode.HALT));
                return;
            }
        }
    }

    private void cutover(MigrationContext context, List<DatabaseReplicator> replicators) {
        Instant started = context.clock().instant();
        context.emit(new MigrationEvent.CutoverStarted(started));
        replicators.forEach(r -> context.tracker(r.database()).enter(Phase.CUTTING_OVER));
        SourceFence fence = new SourceFence(context);
        if (context.config().fenceSourceOnCutover()) {
            List<String> fenced = new ArrayList<>();
            try {
                for (DatabaseReplicator r : replicators) {
                    fence.fence(r.database());
                    fenced.add(r.database());
                }
            } catch (RuntimeException e) {
                fenced.forEach(fence::unfence);
                throw e;
            }
        }
        Lsn target = fence.currentWal();
        log.info("cutover: applying everything up to {}", target);
        replicators.forEach(r -> r.drain(target));
        while (!replicators.stream().allMatch(DatabaseReplicator::isFinished)) {
            if (context.stopRequested()) {
                replicators.forEach(r -> r.mode(io.pgrelocate.replication.internal.Mode.STOP));
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TICK.toNanos());
        }
        if (replicators.stream().allMatch(r -> r.failure() == null)) {
            Instant now = context.clock().instant();
            context.emit(new MigrationEvent.CutoverCompleted(Duration.between(started, now), now));
        }
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgRelocateException(ErrorCode.INTERNAL, "interrupted while waiting for the databases");
            }
        }
    }
}
