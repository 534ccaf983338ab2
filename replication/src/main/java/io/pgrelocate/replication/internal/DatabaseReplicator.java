package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.DatabaseCopier;
import io.pgrelocate.dump.Sequences;
import io.pgrelocate.dump.SnapshotRaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Migrates one database continuously: publication and slot, the copy at the slot's snapshot (or a resume
 * from the stored LSN), then the stream, until the engine asks it to drain for cutover, stop or halt.
 * Runs on its own thread; {@link #mode(Mode)} and the getters are thread-safe.
 */
public final class DatabaseReplicator implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseReplicator.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Slots created for one copy before giving up on a source that keeps truncating its tables. */
    private static final int MAX_SNAPSHOT_ATTEMPTS = 10;
    /** Untyped text parameters (the target casts), and batched INSERTs sent as multi-row statements. */
    private static final Map<String, String> APPLY_CONNECTION = Map.of("stringtype", "unspecified",
            "reWriteBatchedInserts", "true");

    private final MigrationContext context;
    private final DatabaseInfo database;
    private final DatabaseTracker tracker;
    private final String slot;
    private final String publication;
    private final ProgressStore progress;
    private final ColumnIdentity identity;
    private final ReplicationSetup setup;
    private final TriggerSuppression triggers;
    private volatile Mode mode = Mode.RUN;
    private volatile Lsn drainTo;
    private volatile PgRelocateException failure;
    private volatile boolean finished;
    private final StreamProgress stream;
    private final StallWatch stallWatch;

    public DatabaseReplicator(MigrationContext context, DatabaseInfo database) {
        this.context = context;
        this.database = database;
        this.tracker = context.tracker(database.name());
        this.slot = Names.slot(context.migrationId(), database.name());
        this.publication = Names.publication(context.migrationId());
        this.progress = new ProgressStore(context.config().stateSchema());
        this.identity = new ColumnIdentity(context.config().stateSchema());
        this.setup = new ReplicationSetup(context, database.name(), slot, publication, this::warn);
        this.stream = new StreamProgress(context, database.name(), slot);
        this.triggers = new TriggerSuppression(context.config().stateSchema(), this::warn);
        this.stallWatch = new StallWatch(context, database.name(), slot);
    }

    public String database() {
        return database.name();
    }

    public void mode(Mode next) {
        mode = next;
    }

    /** Apply up to {@code lsn}, then finish the cutover of this database. */
    public void drain(Lsn lsn) {
        drainTo = lsn;
        mode = Mode.DRAIN;
    }

    public boolean isStreaming() {
        return tracker.phase() == Phase.STREAMING;
    }

    public boolean isFinished() {
        return finished;
    }

    public PgRelocateException failure() {
        return failure;
    }

    /** Where streaming starts: on the connection that created the slot (null: open one), from {@code start}. */
    private record StreamStart(Connection replication, Lsn start, Lsn skipUpTo) {
    }

    @Override
    public void run() {
        try {
            Optional<Lsn> resume = context.resumed() ? setup.resumePoint(progress) : Optional.empty();
            StreamStart start;
            if (resume.isPresent()) {
                log.info("database {}: resuming the stream of slot {} after {}", database.name(), slot, resume.get());
                start = new StreamStart(null, Lsn.INVALID, resume.get());
            } else {
                start = copy();
                if (start == null) {
                    return;
                }
            }
            stream(start.replication(), start.start(), start.skipUpTo());
            finish();
        } catch (PgRelocateException e) {
            failure = e;
            tracker.fail(e);
            restoreAfterFailure();
        } catch (OutOfMemoryError e) {
            fail(new PgRelocateException(ErrorCode.INTERNAL, "database " + database.name() + ": the JVM ran out of "
                    + "memory (" + e.getMessage() + "); slot " + slot + " is kept: give the JVM more heap (-Xmx) and "
                    + "start the same migration again to resume", e));
        } catch (Throwable e) {
            // any Throwable: a database that dies silently would let the run end COMPLETED without its changes
            fail(new PgRelocateException(ErrorCode.INTERNAL, "database " + database.name() + ": " + e, e));
        } finally {
            stream.close();
            finished = true;
        }
    }

    private void fail(PgRelocateException e) {
        failure = e;
        tracker.fail(e);
        restoreAfterFailure();
    }

    /** {@link #copyOnce}, with a new slot when a table was rewritten just after the slot's snapshot. */
    private StreamStart copy() {
        for (int attempt = 1; ; attempt++) {
            try {
                return copyOnce();
            } catch (SnapshotRaceException e) {
                if (attempt == MAX_SNAPSHOT_ATTEMPTS) {
                    throw e;
                }
                log.warn("database {}: {}", database.name(), e.getMessage());
            }
        }
    }

    /** Publication, slot and copy at the slot's snapshot; null when a stop came during the copy. */
    private StreamStart copyOnce() {
        setup.publish();
        Connection replication = setup.replicationConnection();
        try {
            SlotManager.CreatedSlot created = SlotManager.createSlot(replication, slot,
                    context.sourceServer().versionNum());
            DatabaseCopier copier = DatabaseCopier.create(context, database);
            if (context.resumed() && tracker.previousPhase() != null && tracker.previousPhase() != Phase.PENDING) {
                copier = copier.fromScratch();
            }
            DatabaseCopier.CopySummary summary = copier.copy(created.snapshotName());
            if (!summary.complete() || mode == Mode.STOP || context.stopRequested()) {
                closeQuietly(replication);
                setup.dropSlotAndPublication();
                tracker.enter(Phase.STOPPED);
                return null;
            }
            // read while the slot's connection still keeps the snapshot: the numbers the copied rows belong to
            ColumnIdentity.Numbers numbers = ColumnIdentity.atSnapshot(context, database.name(),
                    created.snapshotName());
            try (Connection tgt = context.target().open(database.name(), "progress")) {
                identity.record(tgt, slot, numbers);
                progress.create(tgt, slot);
            }
            return new StreamStart(replication, created.consistentPoint(), Lsn.INVALID);
        } catch (SQLException e) {
            abandon(replication);
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot create the progress table in target "
                    + "database " + database.name(), e);
        } catch (RuntimeException | Error e) {
            // an Error too: the replication connection would otherwise stay open, holding the slot, until the JVM ends
            abandon(replication);
            throw e;
        }
    }

    /** After a failed copy the slot only holds WAL back: the next run copies again anyway. */
    private void abandon(Connection replication) {
        closeQuietly(replication);
        try {
            setup.dropSlotAndPublication();
        } catch (RuntimeException e) {
            log.warn("database {}: cannot drop slot {} after the failed copy: {}", database.name(), slot,
                    e.getMessage());
        }
    }

    private void stream(Connection replication, Lsn start, Lsn skipUpTo) {
        try (SchemaWatch watch = new SchemaWatch(context, database.name(), slot)) {
            stream(replication, start, skipUpTo, ddlCaptured() ? null : watch);
        }
    }

    private void stream(Connection replication, Lsn start, Lsn skipUpTo, SchemaWatch watch) {
        tracker.enter(Phase.CATCHING_UP);
        stream.begin();
        Duration backoff = Duration.ofSeconds(1);
        Connection repl = replication;
        Lsn from = start;
        Lsn skip = skipUpTo;
        while (true) {
            try (StreamSession session = StreamSession.start(repl != null ? repl : setup.replicationConnection(),
                    slot, publication, from, stallWatch);
                 Connection target = context.target().open(database.name(), "apply",
                         APPLY_CONNECTION);
                 ChangeApplier applier = new ChangeApplier(target, progress, slot, triggers, new DdlReplay(
                         database.name(), context.config().stateSchema(), context.migrationId()))) {
                ApplyLoop loop = new ApplyLoop(session, applier, skip, stream.listener(tracker, confirmed -> {
                    if (watch != null) {
                        watch.maybeCheck();
                    }
                    return keepStreaming(confirmed);
                }));
                boolean aborted = false;
                try {
                    loop.run();
                    return;
                } catch (Error | RuntimeException e) {
                    // the protocol state of either connection is unknown (an OutOfMemoryError halfway through a
                    // message): a graceful close could wait forever, so close the sockets; the target rolls back
                    aborted = true;
                    session.abort();
                    abortQuietly(target);
                    throw e;
                } finally {
                    skip = Lsn.max(skip, loop.appliedUpTo());
                    if (!aborted && applier.inTransaction()) {
                        applier.rollback();
                    }
                }
            } catch (SQLException | PgRelocateException e) {
                if (!ApplyLoop.isTransient(e) && !(e instanceof PgRelocateException p && isConnectionLoss(p))) {
                    if (e instanceof SQLException sql && "55000".equals(sql.getSQLState())) {
                        setup.invalidation().ifPresent(invalidated -> {
                            throw invalidated;
                        });
                    }
                    throw e instanceof PgRelocateException p ? p
                            : PgErrors.failed(ErrorCode.REPLICATION_FAILED, "applying changes to " + database.name()
                            + " failed", (SQLException) e);
                }
                log.warn("database {}: replication interrupted ({}); reconnecting in {} s", database.name(),
                        PgErrors.firstLine(e.getMessage()), backoff.toSeconds());
                if (!waitBeforeRetry(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            repl = null;
            from = Lsn.INVALID;
        }
    }

    /** Whether schema changes on the source reach the target through the stream. */
    private boolean ddlCaptured() {
        return setup.ddlCaptured();
    }

    private static boolean isConnectionLoss(PgRelocateException e) {
        return e.code() == ErrorCode.CONNECTION_FAILED;
    }

    /** Waits out a backoff; false when the engine no longer wants the stream. */
    private boolean waitBeforeRetry(Duration backoff) {
        Instant until = Instant.now().plus(backoff);
        while (Instant.now().isBefore(until)) {
            if (mode == Mode.STOP || mode == Mode.HALT) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        return true;
    }

    /** Whether the loop should go on, given what is confirmed; decides the end of a drain. */
    private boolean keepStreaming(Lsn confirmed) {
        return switch (mode) {
            case RUN -> true;
            case STOP, HALT -> false;
            case DRAIN -> drainTo == null || confirmed.compareTo(drainTo) < 0;
        };
    }

    private void finish() {
        switch (mode) {
            case DRAIN -> cutover();
            case STOP -> {
                cleanUp();
                tracker.enter(Phase.STOPPED);
            }
            case HALT -> {
                log.info("database {}: stream halted; slot {} kept so the migration can resume", database.name(), slot);
                restoreAfterFailure();
            }
            default -> throw new IllegalStateException("stream ended while running");
        }
    }

    private void cutover() {
        try (Connection src = context.source().open(database.name(), "sequences");
             Connection tgt = context.target().open(database.name(), "sequences")) {
            int n = Sequences.sync(src, tgt, Sequences.list(src, Set.of(context.config().stateSchema())));
            log.info("database {}: {} sequence(s) set to their source values", database.name(), n);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot set sequences of " + database.name(), e);
        }
        // compared with the target's triggers and foreign keys back, while the slot still lets a failed check resume
        restoreTriggers();
        if (!ddlCaptured()) {
            // verify compares names, types and order: a column dropped and added back keeps them all
            identity.check(context, database.name(), slot);
        }
        CutoverCheck.verify(context, database.name());
        cleanUp();
        tracker.enter(Phase.DONE);
    }

    private void restoreTriggers() {
        try (Connection tgt = context.target().open(database.name(), "cleanup")) {
            triggers.restore(tgt);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot put back the triggers and foreign keys "
                    + "taken out of target database " + database.name() + " while streaming (they are listed in "
                    + context.config().stateSchema() + ".suspended there)", e);
        }
    }

    private void cleanUp() {
        setup.dropSlotAndPublication();
        try (Connection tgt = context.target().open(database.name(), "cleanup")) {
            try {
                triggers.restore(tgt);
            } catch (SQLException e) {
                throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot put back the triggers and foreign keys "
                        + "taken out of target database " + database.name() + " while streaming (they are listed in "
                        + context.config().stateSchema() + ".suspended there)", e);
            }
            identity.drop(tgt);
            progress.drop(tgt);
            // the last session of the run in this database: after it, no event trigger may fire on anything of ours
            EventTriggerStates.restore(context, database.name(), tgt);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot clean up target database "
                    + database.name(), e);
        }
    }

    /**
     * A failed migration leaves the target as a user would find it: triggers enabled and foreign keys back.
     * A resumed run takes them out again. When that fails too, the record stays for the next run.
     */
    private void restoreAfterFailure() {
        if (!triggers.usesFallback()) {
            return;
        }
        try (Connection tgt = context.target().open(database.name(), "cleanup")) {
            triggers.restore(tgt);
        } catch (SQLException | RuntimeException e) {
            warn("database " + database.name() + ": the triggers and foreign keys taken out while streaming could not "
                    + "be put back (" + PgErrors.firstLine(e.getMessage()) + "); they are listed in "
                    + context.config().stateSchema() + ".suspended, and a resumed run or a cutover puts them back");
        }
    }

    private void warn(String message) {
        log.warn("{}", message);
        context.emit(new MigrationEvent.SchemaWarning(database.name(), database.name(), message,
                context.clock().instant()));
    }

    private static void abortQuietly(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // it is being given up on
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // closing a replication connection we no longer need
        }
    }

}
