package io.pgrelocate.dump.internal;

import io.pgrelocate.core.internal.tasks.TaskGroup;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.dump.internal.schema.DdlStatement;
import io.pgrelocate.dump.internal.schema.TableData;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The post-data of one table (its indexes, in parallel, then its keys, then its ANALYZE), run as soon as the table's last
 * rows are committed, while the copy of the other tables goes on: the index builds fill the cores that the
 * end of the copy leaves idle, and the big tables' builds start long before the last table is copied. Up to
 * {@code jobs} statements at once, on the runner's post-data sessions. Statements that depend on more than one
 * table (foreign keys, attachments, triggers, grants...) wait for the waves after the copy.
 *
 * <p>Small tables' statements go out together, many to a round trip (see {@link #SMALL_TABLES}).
 *
 * <p>Thread-safe: {@link #tableCopied} is called by the copy workers.
 */
final class EarlyPostData implements AutoCloseable {
    private final MigrationContext context;
    private final DdlRunner ddl;
    private final Map<String, PostDataPlan.TableWork> byTable;
    private final TaskGroup group;

    /** @param byTable each copied table's own statements by its qualified name */
    EarlyPostData(MigrationContext context, String database, DdlRunner ddl, Map<String, PostDataPlan.TableWork> byTable) {
        this.context = context;
        this.ddl = ddl;
        this.byTable = byTable;
        this.group = new TaskGroup(context.threads("postdata-early-" + database), Math.max(1, context.config().jobs()));
        if (!byTable.isEmpty()) {
            // the sessions the first tables' index builds will need, connected while the copy starts: the build of
            // a table copied in seconds otherwise waits for a connection and the target's settings first
            for (int i = 0; i < Math.max(1, context.config().jobs()); i++) {
                group.submit(() -> ddl.releasePostDataSession(ddl.postDataSession()));
            }
        }
    }

    /**
     * Queues the table's post-data: each of its first statements (its index builds) on its own, so a table's
     * indexes build in parallel, then the rest in order once they are done. A no-op once cancelled.
     */
    void tableCopied(TableData table) {
        PostDataPlan.TableWork work = byTable.get(table.qualified());
        if (work == null) {
            return;
        }
        if (table.estimatedBytes() < DataCopy.SMALL_BYTES) {
            small(work);
            return;
        }
        if (work.first().isEmpty()) {
            group.submit(() -> build(work.then()));
            return;
        }
        AtomicInteger left = new AtomicInteger(work.first().size());
        for (DdlStatement s : work.first()) {
            group.submit(() -> {
                build(List.of(s));
                if (left.decrementAndGet() == 0 && !work.then().isEmpty()) {
                    group.submit(() -> build(work.then()));
                }
            });
        }
    }

    /** Small tables' work not yet queued; queued {@link #SMALL_TABLES} at a time, the rest by {@link #finish}. */
    private final List<PostDataPlan.TableWork> small = new ArrayList<>();
    /**
     * Small tables whose post-data goes out together: a tiny table's index build or ANALYZE costs less than its
     * round trip, so 10,000 tables' statements go {@link DdlRunner#GROUP} to a round trip (and implicit transaction).
     */
    static final int SMALL_TABLES = 32;

    private void small(PostDataPlan.TableWork work) {
        List<PostDataPlan.TableWork> full;
        synchronized (small) {
            small.add(work);
            if (small.size() < SMALL_TABLES) {
                return;
            }
            full = List.copyOf(small);
            small.clear();
        }
        group.submit(() -> buildTogether(full));
    }

    /** Every table's first statements (its indexes), then every table's others in order, in groups. */
    private void buildTogether(List<PostDataPlan.TableWork> works) throws SQLException {
        List<DdlStatement> first = works.stream().flatMap(w -> w.first().stream()).toList();
        List<DdlStatement> then = works.stream().flatMap(w -> w.then().stream()).toList();
        Connection c = ddl.postDataSession();
        try (Statement st = c.createStatement()) {
            group.onCancel(() -> Sessions.cancel(st));
            BooleanSupplier cancelled = () -> group.isCancelled() || context.stopRequested();
            ddl.runGrouped(st, first, DdlRunner.GROUP, cancelled);
            ddl.runGrouped(st, then, DdlRunner.GROUP, cancelled);
        }
        ddl.releasePostDataSession(c);
    }

    /** Runs {@code action} when a statement fails here: the copy should stop at once. */
    void onFailure(Runnable action) {
        group.onCancel(action);
    }

    /** Rethrows the first failure so far, if any. */
    void rethrowFailure() {
        group.rethrowFailure();
    }

    /** Waits for every queued table (cancelling them on a stop request), then rethrows the first failure. */
    void finish() {
        List<PostDataPlan.TableWork> rest;
        synchronized (small) {
            rest = List.copyOf(small);
            small.clear();
        }
        if (!rest.isEmpty()) {
            group.submit(() -> buildTogether(rest));
        }
        group.await(context::stopRequested);
    }

    private void build(List<DdlStatement> statements) throws SQLException {
        Connection c = ddl.postDataSession();
        try (Statement st = c.createStatement()) {
            Runnable cancel = () -> Sessions.cancel(st);
            group.onCancel(cancel);
            for (DdlStatement s : statements) {
                if (group.isCancelled() || context.stopRequested()) {
                    return;
                }
                ddl.run(st, s);
            }
        }
        ddl.releasePostDataSession(c);
    }

    /** Cancels what still runs (the sessions are the runner's to close). */
    @Override
    public void close() {
        group.close();
    }
}
