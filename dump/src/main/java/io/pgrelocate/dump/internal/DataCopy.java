package io.pgrelocate.dump.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.internal.tasks.TaskGroup;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.dump.internal.schema.TableData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies every table of one database with {@code jobs} workers. Each worker imports the snapshot on its own
 * source connection and commits each table (or slice) on its own target connection. The first failure
 * cancels the others; a stop request ends the copy after the rows in flight are rolled back.
 *
 * <p>The lock holder (the session that locked every table right after the snapshot) keeps an ACCESS SHARE
 * lock on each table for the whole copy. When a TRUNCATE or ALTER TABLE on the source queues for an
 * exclusive lock on a table behind it, a worker's own lock request would queue behind that one and wait
 * forever, a deadlock the server cannot see. So a worker only takes a table's lock if it is free at once,
 * and otherwise copies the table through the lock holder, which already has the lock.
 *
 * <p>A table the lock holder could not lock (the lock table holds only so many) is locked by the worker and checked
 * after its copy ({@link UnlockedTables}); a worker starts a new transaction at the same snapshot every so many
 * tables, so it never holds more locks than fit.
 */
final class DataCopy {
    private static final Logger log = LoggerFactory.getLogger(DataCopy.class);
    /** Whole tables below this size are copied {@link #SMALL_CHUNK} at a time (see {@link #take}). */
    static final long SMALL_BYTES = 1L << 20;
    static final int SMALL_CHUNK = 16;

    private final MigrationContext context;
    private final String database;
    private final String snapshotId;
    private final Connection lockHolder;
    private final Set<QualifiedName> locked;
    private final int tablesPerTransaction;
    private final DatabaseTracker tracker;
    private final Map<TableData, TableCounter> counters = new ConcurrentHashMap<>();
    private volatile TaskGroup group;
    private volatile boolean aborted;
    private java.util.function.Consumer<TableData> tableCopied = t -> { };

    /** Rows and bytes of one table across its slices. */
    private static final class TableCounter {
        final AtomicLong rows = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicInteger slicesLeft;

        TableCounter(int slices) {
            slicesLeft = new AtomicInteger(slices);
        }
    }

    /**
     * @param lockHolder           the session in the snapshot that holds the tables' locks; used by one thread at a time
     * @param locked               the tables it holds locked
     * @param tablesPerTransaction tables a worker copies in one source transaction
     */
    DataCopy(MigrationContext context, String database, String snapshotId, Connection lockHolder,
             Set<QualifiedName> locked, int tablesPerTransaction) {
        this.context = context;
        this.database = database;
        this.snapshotId = snapshotId;
        this.lockHolder = lockHolder;
        this.locked = locked;
        this.tablesPerTransaction = Math.max(1, tablesPerTransaction);
        this.tracker = context.tracker(database);
    }

    /** Calls {@code listener} on a copy worker once each table's last slice is committed. */
    DataCopy onTableCopied(java.util.function.Consumer<TableData> listener) {
        this.tableCopied = listener;
        return this;
    }

    /** Cancels the copy from another thread (a failure next to it): the workers return, the rows in flight roll back. */
    void abort() {
        aborted = true;
        TaskGroup g = group;
        if (g != null) {
            g.cancel();
        }
    }

    /** Rows the target accepted and bytes streamed. */
    record Totals(long rows, long bytes) {
    }

    /** Copies the tasks. Throws the first worker failure; a stop cancels the COPYs in flight. */
    Totals run(List<CopyTask> tasks) {
        for (CopyTask t : tasks) {
            counters.putIfAbsent(t.table(), new TableCounter(t.slices()));
        }
        AtomicInteger next = new AtomicInteger();
        int workers = Math.max(1, Math.min(context.config().jobs(), tasks.size()));
        try (TaskGroup group = new TaskGroup(context.threads("copy-" + database), workers)) {
            this.group = group;
            for (int i = 0; i < workers; i++) {
                group.submit(() -> work(tasks, next));
            }
            group.await(() -> aborted || context.stopRequested());
        }
        return new Totals(counters.values().stream().mapToLong(c -> c.accepted.get()).sum(),
                counters.values().stream().mapToLong(c -> c.bytes.get()).sum());
    }

    private boolean cancelled() {
        return aborted || group.isCancelled() || context.stopRequested();
    }

    private void work(List<CopyTask> tasks, AtomicInteger next) throws SQLException, InterruptedException {
        if (!acquirePermit(tasks, next)) {
            return;
        }
        try {
            copyTasks(tasks, next);
        } finally {
            context.copyPermits().release();
        }
    }

    // the run's copy budget is shared by every database copying at once: wait for a permit, but not past a stop
    private boolean acquirePermit(List<CopyTask> tasks, AtomicInteger next) throws InterruptedException {
        while (!cancelled() && next.get() < tasks.size()) {
            if (context.copyPermits().tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    private void copyTasks(List<CopyTask> tasks, AtomicInteger next) throws SQLException {
        if (cancelled() || next.get() >= tasks.size()) {
            return;
        }
        try (SnapshotSession source = SnapshotSession.importing(context.source(), database, snapshotId, "copy");
             Connection target = context.target().open(database, "copy")) {
            // a COPY blocked on a slow or huge row sees no flag: the server cancels it
            group.onCancel(() -> {
                Sessions.cancel(source.connection());
                Sessions.cancel(target);
            });
            TargetSession.prepareForCopy(target);
            List<TableData> unchecked = new ArrayList<>();
            int inTransaction = 0;
            List<CopyTask> chunk;
            while (!cancelled() && !(chunk = take(tasks, next)).isEmpty()) {
                if (inTransaction > 0 && inTransaction + chunk.size() > tablesPerTransaction) {
                    UnlockedTables.check(source.connection(), unchecked);
                    unchecked.clear();
                    source.restart();
                    inTransaction = 0;
                }
                inTransaction += chunk.size();
                if (chunk.size() > 1 && lockAllAtOnce(source.connection(), chunk)) {
                    copySmall(chunk, source.connection(), target, unchecked);
                } else {
                    for (CopyTask task : chunk) {
                        copyOne(task, source.connection(), target, unchecked);
                    }
                }
            }
            UnlockedTables.check(source.connection(), unchecked);
        } catch (CopyCancelledException e) {
            log.debug("copy worker of {} cancelled", database);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.COPY_FAILED, "copy of database " + database + " failed", e);
        }
    }

    private void copyOne(CopyTask task, Connection source, Connection target, List<TableData> unchecked) {
        log.debug("copying {}", task.describe());
        long accepted;
        try {
            TableData t = task.table();
            if (!locked.contains(new QualifiedName(t.schema(), t.name()))) {
                UnlockedTables.lock(source, t);
                accepted = TableCopier.copy(task, source, target, this::progress, this::cancelled);
                unchecked.add(t);
            } else if (lockedAtOnce(source, task)) {
                accepted = TableCopier.copy(task, source, target, this::progress, this::cancelled);
            } else {
                log.info("database {}: a session waits for an exclusive lock on {} (TRUNCATE, ALTER TABLE...); "
                        + "copying it through the session that holds the lock", database, task.describe());
                synchronized (lockHolder) {
                    accepted = TableCopier.copy(task, lockHolder, target, this::progress, this::cancelled);
                }
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.COPY_FAILED, "copying table " + task.describe() + " of database "
                    + database + " failed", e);
        } catch (OutOfMemoryError e) {
            throw new PgRelocateException(ErrorCode.COPY_FAILED, "copying table " + task.describe() + " of database "
                    + database + " ran out of memory (a row larger than the heap?): give the JVM more heap (-Xmx) "
                    + "and start the same migration again", e);
        }
        finished(task, accepted);
    }

    private void finished(CopyTask task, long accepted) {
        TableCounter c = counters.get(task.table());
        c.accepted.addAndGet(accepted);
        if (c.slicesLeft.decrementAndGet() == 0) {
            tracker.tableDone();
            TableData t = task.table();
            context.emit(new MigrationEvent.TableCopyProgress(database, t.display(), c.accepted.get(), c.bytes.get(),
                    t.estimatedRows(), t.estimatedBytes(), true, context.clock().instant()));
            tableCopied.accept(t);
        }
    }

    /**
     * The next task, or the next few when they are small: a small table costs mostly round trips (lock, TRUNCATE,
     * COPY, commit), so small ones are locked together and committed together. The tasks are sorted biggest
     * first, so every task after a small one is small too.
     */
    private List<CopyTask> take(List<CopyTask> tasks, AtomicInteger next) {
        int peek = next.get();
        int size = peek < tasks.size() && tasks.get(peek).isWhole() && tasks.get(peek).weight() < SMALL_BYTES
                ? Math.min(SMALL_CHUNK, tablesPerTransaction) : 1;
        int from = next.getAndAdd(size);
        return from >= tasks.size() ? List.of() : tasks.subList(from, Math.min(tasks.size(), from + size));
    }

    /** Copies small tables this worker holds locked, committing them on the target in one transaction. */
    private void copySmall(List<CopyTask> chunk, Connection source, Connection target, List<TableData> unchecked) {
        long[] accepted = new long[chunk.size()];
        try {
            for (int i = 0; i < chunk.size(); i++) {
                CopyTask task = chunk.get(i);
                log.debug("copying {}", task.describe());
                accepted[i] = TableCopier.copy(task, source, target, this::progress, this::cancelled, false);
                TableData t = task.table();
                if (!locked.contains(new QualifiedName(t.schema(), t.name()))) {
                    unchecked.add(t);
                }
            }
            target.commit();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.COPY_FAILED, "copying tables " + chunk.get(0).describe() + " to "
                    + chunk.get(chunk.size() - 1).describe() + " of database " + database + " failed", e);
        }
        for (int i = 0; i < chunk.size(); i++) {
            finished(chunk.get(i), accepted[i]);
        }
    }

    /**
     * Takes the ACCESS SHARE locks of every table of {@code chunk} in one round trip, if nobody holds or waits for a
     * conflicting one; otherwise takes none, and the tables are copied one by one.
     */
    private static boolean lockAllAtOnce(Connection source, List<CopyTask> chunk) throws SQLException {
        try (java.sql.Statement st = source.createStatement()) {
            try {
                st.execute("SAVEPOINT lock_probe; LOCK TABLE " + String.join(", ", chunk.stream()
                        .map(t -> "ONLY " + t.table().qualified()).toList()) + " IN ACCESS SHARE MODE NOWAIT; "
                        + "RELEASE SAVEPOINT lock_probe");
                return true;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState())) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT lock_probe");
                return false;
            }
        }
    }

    /** Takes the table's ACCESS SHARE lock if nobody holds or waits for a conflicting one. */
    private static boolean lockedAtOnce(Connection source, CopyTask task) throws SQLException {
        return lockAllAtOnce(source, List.of(task));
    }

    private void progress(CopyTask task, long rows, long bytes, boolean last) {
        TableCounter c = counters.get(task.table());
        long totalRows = c.rows.addAndGet(rows);
        long totalBytes = c.bytes.addAndGet(bytes);
        tracker.copied(rows, bytes);
        TableData t = task.table();
        // the final counts go out with the table's done event, once every slice has finished
        if (!last) {
            context.emit(new MigrationEvent.TableCopyProgress(database, t.display(), totalRows, totalBytes,
                    t.estimatedRows(), t.estimatedBytes(), false, context.clock().instant()));
        }
    }
}
