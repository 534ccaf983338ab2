package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.PgErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Applies decoded changes to one target database, in source order, inside target transactions that also
 * record the last applied commit LSN: the target transaction, its collapsed changes ({@link NetChanges}) and their
 * replay change by change on a constraint, the insert run ({@link InsertStream}), DDL and spilled values in their
 * place. The statements each change becomes are {@link RowStatements}'; the relations they are to,
 * {@link TargetRelations}'. Not thread-safe.
 */
final class ChangeApplier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeApplier.class);

    private final Connection connection;
    private final StatementCache cache;
    private final PreparedStatement progress;
    private final TargetRelations relations;
    private final DdlReplay ddl;
    private final NetChanges net = new NetChanges();
    /** What the collapse buffer, the statement batches and a waiting insert run hold of values, together. */
    private final HeapBudget heap = new HeapBudget();
    private final RetainedChanges retained = new RetainedChanges(heap);
    private final RowStatements rows;
    /** Past what collapses, a run of inserts into one table as one open COPY; off where folding is. */
    private final InsertStream stream;
    /** Folding changes is off when foreign keys are enforced on the target: they need the source's order. */
    private final boolean collapsible;
    private boolean collapsing;
    private boolean inTransaction;

    private interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * @param connection a target connection opened with {@code stringtype=unspecified}
     * @param triggers   how target triggers are kept from firing
     */
    ChangeApplier(Connection connection, ProgressStore store, String slot, TriggerSuppression triggers, DdlReplay ddl)
            throws SQLException {
        this.connection = connection;
        this.ddl = ddl;
        connection.setAutoCommit(false);
        triggers.apply(connection);
        connection.commit();
        this.cache = new StatementCache(connection, triggers.usesFallback(), heap);
        this.progress = store.prepareUpdate(connection, slot);
        this.relations = new TargetRelations(connection);
        CopyInserts copy = new CopyInserts(connection);
        this.rows = new RowStatements(connection, cache, relations, copy);
        this.collapsible = !triggers.usesFallback();
        this.collapsing = collapsible;
        this.stream = collapsible ? new InsertStream(copy, rows, heap) : null;
    }

    void relation(PgOutputMessage.Relation r) throws SQLException {
        if (ddl.isCapture(r)) {
            return;
        }
        try {
            if (collapsing) {
                // what is collected was decoded against the relation as it was; a replay needs it in its place
                retain(r);
                guarded(() -> net.drain(r.id(), rows));
            } else {
                endStream();
            }
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.all());
        }
        relations.forget(r);
    }

    /** A source transaction begins; it ends at {@code finalLsn}. */
    void sourceTransaction(Lsn finalLsn) {
        ddl.sourceTransaction(finalLsn);
    }

    /** Whether {@code change} must run outside a transaction block: the caller commits what is before it. */
    boolean needsOwnTransaction(PgOutputMessage change) {
        return ddl.needsOwnTransaction(change);
    }

    /**
     * The single place a decoded change reaches the target: a recorded DDL statement run, or a row change folded
     * into the net changes or applied. A failure is told without row values ({@link ApplyErrors}).
     */
    void apply(PgOutputMessage change) throws SQLException {
        if (change instanceof PgOutputMessage.Insert i && ddl.isCapture(i.relationId())) {
            replayDdl(i);
            return;
        }
        if (SpilledValue.any(change)) {
            applySpilled(change);
            return;
        }
        inTransaction = true;
        try {
            if (!collapsing || !retain(change)) {
                applyOne(change);
            } else if (!net.absorb(relations.of(change), change)) {
                // folding sends nothing: only what follows a change that does not fold can hit a constraint. Kept
                // out of the guard's lambda, the per-change path stays small for the JIT, which otherwise compiled
                // all of the folding four times over (in the loop, the guard, the lambda and its body)
                guarded(() -> {
                    int relation = NetChanges.relationId(change);
                    if (relation == -1) {
                        net.drain(rows);
                    } else {
                        net.drain(relation, rows);
                    }
                    applyOne(change);
                });
            }
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.all());
        }
    }

    /**
     * A change holding a value in a file goes out alone and at once, after everything before it; it is not kept
     * for a replay (its file goes once it is applied), so nothing before it may be replayed after it either.
     */
    private void applySpilled(PgOutputMessage change) throws SQLException {
        try {
            flushAll();
            stopCollapsing();
            inTransaction = true;
            rows.spilled(relations.of(change), change);
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.all());
        }
    }

    private void applyOne(PgOutputMessage change) throws SQLException {
        if (stream != null && change instanceof PgOutputMessage.Insert i
                && stream.continues(relations.matched(i.relationId()))) {
            stream.add(relations.matched(i.relationId()), i.row());
            return;
        }
        // the connection runs nothing else while a COPY is open
        endStream();
        if (change instanceof PgOutputMessage.Insert i) {
            TargetRelation r = relations.get(i.relationId());
            // a folded batch's inserts go out as one COPY already; a stream would hold the connection meanwhile
            if (stream != null && !collapsing && InsertStream.accepts(r)) {
                stream.add(r, i.row());
            } else {
                rows.insert(r, i.row());
            }
        } else if (change instanceof PgOutputMessage.Update u) {
            rows.update(relations.get(u.relationId()), u);
        } else if (change instanceof PgOutputMessage.Delete d) {
            rows.delete(relations.get(d.relationId()), d);
        } else if (change instanceof PgOutputMessage.Truncate t) {
            rows.truncate(t);
        } else if (change instanceof PgOutputMessage.Relation r) {
            relations.forget(r);
        }
    }

    /**
     * Runs a recorded DDL statement at its place in commit order: everything before it reaches the target first
     * (net changes, batched statements), and nothing before it is collapsed or replayed after it, since a replay
     * rolls back and would lose the statement.
     */
    private void replayDdl(PgOutputMessage.Insert i) throws SQLException {
        try {
            flushAll();
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.all());
        }
        stopCollapsing();
        boolean transactional = ddl.replay(connection, i, inTransaction);
        // prepared statements were typed by the old table shapes, and so were the matched relations: both are
        // made again on next use (new Relation messages follow the change)
        cache.close();
        relations.rematchAll();
        inTransaction |= transactional;
    }

    /** Sends the net changes and every batched statement; a constraint hit while collapsing replays instead. */
    private void flushAll() throws SQLException {
        endStream();
        guarded(() -> {
            net.drain(rows);
            cache.flush(RowStatements::missingRow);
        });
        // a replay applies change by change, and may end in a run of inserts
        endStream();
        cache.flush(RowStatements::missingRow);
    }

    /** Records {@code commitLsn} and commits everything applied since the last commit. */
    void commit(Lsn commitLsn) throws SQLException {
        try {
            flushAll();
            progress.setString(1, commitLsn.toString());
            progress.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.all());
        }
        inTransaction = false;
        collapsing = collapsible;
        retained.clear();
    }

    /**
     * Runs {@code work}; when it hits a constraint while changes were folded (a unique key swapped between
     * rows, say), rolls the target transaction back and replays its changes one by one in source order.
     */
    private void guarded(SqlWork work) throws SQLException {
        try {
            work.run();
        } catch (SQLException e) {
            if (!collapsing || !RetainedChanges.isConstraint(e)) {
                throw e;
            }
            log.debug("a collapsed batch of {} changes hit {}; replaying them one by one", retained.size(),
                    e.getSQLState());
            List<PgOutputMessage> replay = retained.drain();
            net.clear();
            cache.discard();
            connection.rollback();
            stopCollapsing();
            for (PgOutputMessage m : replay) {
                applyOne(m);
            }
        }
    }

    /**
     * Keeps {@code m} for a replay; when there is too much to keep, what is collected goes out now (its errors
     * surfacing while it can still be replayed) and the rest of the target transaction goes change by change.
     */
    private boolean retain(PgOutputMessage m) throws SQLException {
        if (retained.add(m)) {
            return true;
        }
        guarded(() -> {
            net.drain(rows);
            cache.flush(RowStatements::missingRow);
        });
        stopCollapsing();
        return false;
    }

    /** Sends the run of inserts in progress, if any: before any other statement on the connection. */
    private void endStream() throws SQLException {
        if (stream != null) {
            stream.end();
        }
    }

    private void stopCollapsing() {
        collapsing = false;
        net.clear();
        retained.clear();
    }

    /** Whether the target transaction should end at the next source commit, while it still collapses. */
    boolean batchFull() {
        return collapsing && retained.nearlyFull();
    }

    boolean inTransaction() {
        return inTransaction;
    }

    void rollback() {
        try {
            if (stream != null) {
                stream.cancel();
            }
            cache.discard();
            net.clear();
            retained.clear();
            collapsing = collapsible;
            connection.rollback();
        } catch (SQLException e) {
            log.debug("rollback of the apply transaction failed: {}", e.getMessage());
        }
        inTransaction = false;
    }



    @Override
    public void close() {
        if (stream != null) {
            stream.cancel();
        }
        cache.close();
        try {
            progress.close();
        } catch (SQLException ignored) {
            // closing with the connection
        }
    }

    static PgRelocateException failure(String what, SQLException e) {
        return PgErrors.failed(ErrorCode.REPLICATION_FAILED, what, e);
    }
}
