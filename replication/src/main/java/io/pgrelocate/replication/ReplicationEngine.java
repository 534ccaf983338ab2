package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.internal.tasks.TaskGroup;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.MigrationEngine;
import io.pgrelocate.replication.internal.DatabaseReplicator;
import io.pgrelocate.replication.internal.Cutover;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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
        Cutover.liftLeftoverFences(context);
        io.pgrelocate.dump.Roles.copy(context);
        List<DatabaseReplicator> replicators = new ArrayList<>();
        for (DatabaseInfo db : context.databases()) {
            if (context.resumed() && context.tracker(db.name()).previousPhase() == Phase.DONE) {
                context.tracker(db.name()).enter(Phase.DONE);
                continue;
            }
            replicators.add(new DatabaseReplicator(context, db));
        }
        if (replicators.isEmpty()) {
            return;
        }
        TaskGroup group = new TaskGroup(context.threads("db"), replicators.size());
        replicators.forEach(r -> group.submit(r::run));
        try {
            steer(context, replicators, group);
        } catch (RuntimeException | Error e) {
            // a failed cutover step (a fence the role may not set) must not leave the streams running forever
            replicators.forEach(r -> r.mode(io.pgrelocate.replication.internal.Mode.HALT));
            throw e;
        } finally {
            awaitReplicators(group);
        }
        for (DatabaseReplicator r : replicators) {
            if (r.failure() != null) {
                throw r.failure();
            }
        }
        group.rethrowFailure();
    }

    private void steer(MigrationContext context, List<DatabaseReplicator> replicators, TaskGroup group) {
        while (true) {
            Throwable failure = replicators.stream().map(DatabaseReplicator::failure)
                    .filter(f -> f != null).findFirst().map(Throwable.class::cast).orElse(group.failure());
            if (failure != null) {
                log.error("database failed, halting the others (their slots are kept to resume): {}",
                        failure.getMessage());
                replicators.forEach(r -> r.mode(io.pgrelocate.replication.internal.Mode.HALT));
                return;
            }
            if (context.haltRequested()) {
                log.error("halting every database (their slots are kept to resume)");
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
                new Cutover(context, replicators).run();
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

    /** Waits for every database's thread; a halt or stop they were told of ends them. */
    private static void awaitReplicators(TaskGroup group) {
        try {
            while (!group.awaitDone(TICK)) {
                // each replicator ends on its mode; nothing to cancel from here
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.cancel();
            throw new PgRelocateException(ErrorCode.INTERNAL, "interrupted while waiting for the databases");
        }
    }
}
