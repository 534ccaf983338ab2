package io.pgrelocate.dump.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.internal.tasks.TaskGroup;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.internal.schema.DdlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Replays schema statements on the target: pre-data in batched transactions, post-data in parallel waves. */
final class DdlRunner {
    private static final Logger log = LoggerFactory.getLogger(DdlRunner.class);

    private final MigrationContext context;
    private final String database;
    private final Consumer<String> warn;
    /** Objects left out so far; what is said of them later (comments, grants, owners) is left out too. */
    private final java.util.Set<String> leftOut = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Tests only: called before each statement, to make one fail with what no real server sends (a
     * RuntimeException); no schema is known to throw a non-SQL exception in post-data, and such a failure must
     * still end the run FAILED.
     */
    static volatile Consumer<DdlStatement> faultInjection;

    /** {@code warn} hears of every statement left out for want of a privilege (see {@link PrivilegedStatements}). */
    DdlRunner(MigrationContext context, String database, Consumer<String> warn) {
        this.context = context;
        this.database = database;
        this.warn = warn;
    }

    /**
     * Runs {@code statements} in order, in transactions of up to {@code perTransaction} statements each, so that no
     * transaction takes more locks than the target's lock table can spare (10,000 tables in one transaction run
     * out of shared memory at default settings). A batch that still runs out is rolled back and run again in
     * halves. A failure leaves the batches before it committed: the database's phase stays SCHEMA, and a rerun
     * drops the target database and replays the schema from the start.
     */
    void inBatches(Connection c, List<DdlStatement> statements, int perTransaction) {
        try {
            int done = 0;
            int size = Math.max(1, perTransaction);
            while (done < statements.size()) {
                List<DdlStatement> batch = statements.subList(done, Math.min(statements.size(), done + size));
                try {
                    runBatch(c, batch);
                    done += batch.size();
                } catch (OutOfLocksException e) {
                    if (batch.size() == 1) {
                        throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot replay the schema of " + database
                                + ": the target's lock table is full (raise max_locks_per_transaction)", e.cause);
                    }
                    size = Math.max(1, batch.size() / 2);
                    log.info("database {}: the target ran out of lock memory; schema batches of {} statements now",
                            database, size);
                }
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot replay the schema of " + database, e);
        }
    }

    /**
     * Runs a batch in one transaction, its statements sent {@link #GROUP} at a time in one round trip each (a schema
     * of 10,000 tables is mostly waiting for round trips otherwise). When one fails, the batch is rolled back and run
     * again one statement at a time, which names the statement that failed or skips it under a savepoint.
     */
    private void runBatch(Connection c, List<DdlStatement> batch) throws SQLException {
        try (Statement st = c.createStatement()) {
            try {
                begin(st);
                for (int i = 0; i < batch.size(); i += GROUP) {
                    together(st, batch.subList(i, Math.min(batch.size(), i + GROUP)));
                }
                c.commit();
                return;
            } catch (SQLException e) {
                c.rollback();
                if (OUT_OF_LOCKS.equals(e.getSQLState())) {
                    throw new OutOfLocksException(e);
                }
                log.debug("database {}: a schema batch failed ({}); running it one statement at a time", database,
                        PgErrors.firstLine(e.getMessage()));
            }
            begin(st);
            for (DdlStatement ddl : batch) {
                try {
                    executeInTransaction(st, ddl);
                } catch (PgRelocateException e) {
                    if (e.getCause() instanceof SQLException s && OUT_OF_LOCKS.equals(s.getSQLState())) {
                        c.rollback();
                        throw new OutOfLocksException(s);
                    }
                    throw e;
                }
            }
        } catch (SQLException e) {
            if (OUT_OF_LOCKS.equals(e.getSQLState())) {
                c.rollback();
                throw new OutOfLocksException(e);
            }
            throw e;
        }
        c.commit();
    }

    private static void begin(Statement st) throws SQLException {
        st.execute("SET LOCAL check_function_bodies = off");
        // statements name every user object with its schema, as pg_dump's do
        st.execute("SET LOCAL search_path = pg_catalog");
    }

    /** Statements sent in one round trip; each batch or group that fails is run again one statement at a time. */
    static final int GROUP = 64;

    /**
     * Sends {@code group} in one round trip: in one transaction, the caller's or (in autocommit) the implicit one
     * the server opens for a multi-statement query, so a failure leaves none of them done.
     */
    private void together(Statement st, List<DdlStatement> group) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (DdlStatement ddl : group) {
            Consumer<DdlStatement> fault = faultInjection;
            if (fault != null) {
                fault.accept(ddl);
            }
            if (log.isTraceEnabled()) {
                log.trace("{}: {}", database, io.pgrelocate.core.spi.Sql.maskPasswords(ddl.sql()));
            }
            // the newline ends a trailing line comment
            sql.append(ddl.sql()).append("\n;\n");
        }
        st.execute(sql.toString());
    }

    /** SQLSTATE 53200, out_of_memory: what a full lock table reports ("out of shared memory"). */
    private static final String OUT_OF_LOCKS = "53200";

    /** A batch rolled back for want of lock memory. */
    private static final class OutOfLocksException extends RuntimeException {
        private final transient SQLException cause;

        OutOfLocksException(SQLException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    /** Starts counting post-data progress: {@code total} statements, run early or in waves. */
    void postDataPlanned(int total) {
        postDataTotal = total;
        postDataDone.set(0);
    }

    /** Runs each wave's statements on up to {@code jobs} connections; waves in order. */
    void inWaves(List<List<DdlStatement>> waves) {
        for (List<DdlStatement> wave : waves) {
            if (context.stopRequested()) {
                return;
            }
            long started = System.nanoTime();
            runWave(wave);
            log.info("database {}: post-data wave of {} statement(s) (first: {}) in {} ms", database, wave.size(),
                    wave.isEmpty() ? "-" : wave.get(0).object(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void runWave(List<DdlStatement> wave) {
        if (wave.isEmpty()) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(context.config().jobs(), wave.size());
        try (TaskGroup group = new TaskGroup(context.threads("postdata-" + database), workers)) {
            for (int i = 0; i < workers; i++) {
                group.submit(() -> work(wave, next, group));
            }
            group.await(context::stopRequested);
        }
    }

    /** One worker: a post-data session, statements of the wave taken in turn until none is left. */
    private void work(List<DdlStatement> wave, AtomicInteger next, TaskGroup group) {
        Connection c = postDataSession();
        try (Statement st = c.createStatement()) {
            // an index build can run for minutes: a failure elsewhere or a stop cancels it on the server
            group.onCancel(() -> Sessions.cancel(st));
            // many small statements (10,000 tables' indexes) go in groups, one round trip each; few big ones singly
            int size = Math.max(1, Math.min(GROUP, wave.size() / (8 * context.config().jobs())));
            int from;
            while (!group.isCancelled() && (from = next.getAndAdd(size)) < wave.size()) {
                runGrouped(st, wave.subList(from, Math.min(wave.size(), from + size)), size, group::isCancelled);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "post-data session of target database " + database
                    + " failed", e);
        }
        releasePostDataSession(c);
    }

    /**
     * Runs post-data statements in order, {@code size} to a round trip (in autocommit: one implicit transaction); a
     * group that fails is run again one statement at a time. Stops early once {@code cancelled}.
     */
    void runGrouped(Statement st, List<DdlStatement> statements, int size, java.util.function.BooleanSupplier cancelled) {
        for (int from = 0; from < statements.size() && !cancelled.getAsBoolean(); from += size) {
            List<DdlStatement> part = statements.subList(from, Math.min(statements.size(), from + size));
            if (part.size() > 1 && togetherOrNot(st, part)) {
                part.forEach(this::postDataDone);
                continue;
            }
            for (DdlStatement ddl : part) {
                if (cancelled.getAsBoolean()) {
                    break;
                }
                run(st, ddl);
            }
        }
    }

    // post-data sessions kept for the next table or wave: a wave of a few GRANTs should not pay for connecting
    private final java.util.concurrent.ConcurrentLinkedQueue<Connection> idleSessions =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.List<Connection> openedSessions = new java.util.ArrayList<>();

    /** An idle post-data session, or a new one; give it back with {@link #releasePostDataSession}. */
    Connection postDataSession() {
        Connection c = idleSessions.poll();
        if (c != null) {
            return c;
        }
        try {
            c = openPostData();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot connect to target database " + database, e);
        }
        synchronized (openedSessions) {
            openedSessions.add(c);
        }
        return c;
    }

    /** Keeps {@code c} for the next post-data work; only after its statements ended normally. */
    void releasePostDataSession(Connection c) {
        idleSessions.add(c);
    }

    /** Closes every post-data session; they are no longer needed (or a failure ended the copy). */
    void closePostDataSessions() {
        idleSessions.clear();
        synchronized (openedSessions) {
            for (Connection c : openedSessions) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // done with either way
                }
            }
            openedSessions.clear();
        }
    }

    /** A target session for post-data statements: autocommit, sized for index builds, no search path. */
    private Connection openPostData() throws SQLException {
        Connection c = context.target().open(database, "postdata");
        try {
            TargetSession.prepareForPostData(c, maintenance(c)); // search_path = pg_catalog too
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Runs one post-data statement in autocommit, counting it done (a statement left out with a warning too). */
    void run(Statement st, DdlStatement ddl) {
        try {
            execute(st, ddl);
        } catch (SkippedException skipped) {
            // warned; autocommit, so nothing to roll back
        }
        postDataDone(ddl);
    }

    private TargetSession.Maintenance maintenance;

    /** Read on the first post-data session {@code c} (not yet prepared), once for all of them. */
    private synchronized TargetSession.Maintenance maintenance(Connection c) throws SQLException {
        if (maintenance == null) {
            maintenance = TargetSession.maintenance(c, context.config().jobs());
            log.info("database {}: post-data sessions use maintenance_work_mem {} kB and up to {} parallel "
                    + "worker(s) per index build", database, maintenance.workMemKb(), maintenance.parallelWorkers());
        }
        return maintenance;
    }

    /** {@link #together}; false when a statement failed (none of the group is done then). */
    private boolean togetherOrNot(Statement st, List<DdlStatement> part) {
        try {
            together(st, part);
            return true;
        } catch (SQLException e) {
            log.debug("database {}: a group of post-data statements failed ({}); running them one at a time",
                    database, PgErrors.firstLine(e.getMessage()));
            return false;
        }
    }

    // progress of inWaves, for the listeners' PostDataProgress events
    private volatile int postDataTotal;
    private final AtomicInteger postDataDone = new AtomicInteger();

    private void postDataDone(DdlStatement ddl) {
        context.emit(new MigrationEvent.PostDataProgress(database, postDataDone.incrementAndGet(), postDataTotal,
                ddl.object(), context.clock().instant()));
    }

    /** As {@link #execute}, under a savepoint for a statement that may be skipped, so its failure spares the rest. */
    private void executeInTransaction(Statement st, DdlStatement ddl) throws SQLException {
        if (!PrivilegedStatements.mayBeSkipped(ddl.sql())) {
            execute(st, ddl);
            return;
        }
        st.execute("SAVEPOINT privileged");
        try {
            execute(st, ddl);
            st.execute("RELEASE SAVEPOINT privileged");
        } catch (SkippedException e) {
            st.execute("ROLLBACK TO SAVEPOINT privileged");
        }
    }

    private void execute(Statement st, DdlStatement ddl) {
        Consumer<DdlStatement> fault = faultInjection;
        if (fault != null) {
            fault.accept(ddl);
        }
        if (log.isTraceEnabled()) {
            log.trace("{}: {}", database, io.pgrelocate.core.spi.Sql.maskPasswords(ddl.sql()));
        }
        try {
            st.execute(ddl.sql());
        } catch (SQLException e) {
            if (PrivilegedStatements.skip(ddl.sql(), e)) {
                leftOut.add(ddl.object());
                warn.accept(PrivilegedStatements.warning(database, ddl.object(), context.target().endpoint().user(), e));
                throw new SkippedException();
            }
            String about = PrivilegedStatements.mayBeSkipped(ddl.sql())
                    ? leftOut.stream().filter(o -> ddl.object().endsWith(" " + o)).findFirst().orElse(null) : null;
            if (about != null) {
                warn.accept("database " + database + ": " + ddl.object() + " left out along with " + about);
                throw new SkippedException();
            }
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot create " + ddl.object() + " in target database "
                    + database, e);
        }
    }

    /** A statement left out with a warning; the caller goes on with the next one. */
    private static final class SkippedException extends RuntimeException {
        SkippedException() {
            super(null, null, false, false);
        }
    }
}
