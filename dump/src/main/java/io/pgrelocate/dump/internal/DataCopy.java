package io.pgrelocate.dump.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.internal.schema.TableData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies every table of one database with {@code jobs} workers. Each worker reads through its own source
 * session at the snapshot (see {@link CopySessions}) and commits each table (or slice) on its own target connection. The first failure
 * cancels the others; a stop request ends the copy after the rows in flight are rolled back.
 */
final class DataCopy {
    private static final Logger log = LoggerFactory.getLogger(DataCopy.class);

    private final MigrationContext context;
    private final String database;
    private final DatabaseTracker tracker;
    private final Map<TableData, TableCounter> counters = new ConcurrentHashMap<>();
    private final AtomicReference<PgRelocateException> failure = new AtomicReference<>();

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

    DataCopy(MigrationContext context, String database) {
        this.context = context;
        this.database = database;
        this.tracker = context.tracker(database);
    }

    /** Rows the target accepted and bytes streamed. */
    record Totals(long rows, long bytes) {
    }

    /** How many workers {@link #run} uses for {@code tasks}, each with one of the {@link CopySessions}. */
    static int workers(MigrationContext context, List<CopyTask> tasks) {
        return Math.max(1, Math.min(context.config().jobs(), tasks.size()));
    }

    /** Copies the tasks, one worker per session. Throws the first worker failure. */
    Totals run(List<CopyTask> tasks, CopySessions sessions) {
        for (CopyTask t : tasks) {
            counters.putIfAbsent(t.table(), new TableCounter(t.slices()));
        }
        AtomicInteger next = new AtomicInteger();
        Thread[] threads = new Thread[sessions.size()];
        for (int i = 0; i < threads.length; i++) {
            SnapshotSession source = sessions.get(i);
            threads[i] = context.threads("copy-" + database).newThread(() -> work(tasks, next, source));
            threads[i].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, new PgRelocateException(ErrorCode.COPY_FAILED, "copy interrupted"));
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Totals(counters.values().stream().mapToLong(c -> c.accepted.get()).sum(),
                counters.values().stream().mapToLong(c -> c.bytes.get()).sum());
    }

    private boolean cancelled() {
        return failure.get() != null || context.stopRequested();
    }

    private void work(List<CopyTask> tasks, AtomicInteger next, SnapshotSession source) {
        if (cancelled() || next.get() >= tasks.size()) {
            return;
        }
        try (Connection target = context.target().open(database, "copy")) {
            TargetSession.prepareForCopy(target);
            int i;
            while (!cancelled() && (i = next.getAndIncrement()) < tasks.size()) {
                copyOne(tasks.get(i), source.connection(), target);
            }
        } catch (CopyCancelledException e) {
            log.debug("copy worker of {} cancelled", database);
        } catch (PgRelocateException e) {
            failure.compareAndSet(null, e);
        } catch (SQLException e) {
            failure.compareAndSet(null, PgErrors.failed(ErrorCode.COPY_FAILED, "copy of database " + database
                    + " failed", e));
        } catch (RuntimeException e) {
            failure.compareAndSet(null, new PgRelocateException(ErrorCode.COPY_FAILED, "copy of database "
                    + database + " failed: " + e, e));
        }
    }

    private void copyOne(CopyTask task, Connection source, Connection target) {
        log.debug("copying {}", task.describe());
        long accepted;
        try {
            accepted = TableCopier.copy(task, source, target, this::progress, this::cancelled);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.COPY_FAILED, "copying table " + task.describe() + " of database "
                    + database + " failed", e);
        }
        TableCounter c = counters.get(task.table());
        c.accepted.addAndGet(accepted);
        if (c.slicesLeft.decrementAndGet() == 0) {
            tracker.tableDone();
            TableData t = task.table();
            context.emit(new MigrationEvent.TableCopyProgress(database, t.display(), c.accepted.get(), c.bytes.get(),
                    t.estimatedRows(), t.estimatedBytes(), true, context.clock().instant()));
        }
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
