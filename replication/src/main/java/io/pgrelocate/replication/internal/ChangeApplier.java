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
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies decoded changes to one target database, in source order, inside target transactions that also
 * record the last applied commit LSN. Values arrive as text and are bound untyped
 * ({@code stringtype=unspecified}), so the target casts each to its column's type. Not thread-safe.
 */
final class ChangeApplier implements NetChanges.Sink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeApplier.class);

    private final Connection connection;
    private final StatementCache cache;
    private final PreparedStatement progress;
    private final Map<Integer, TargetRelation> relations = new HashMap<>();
    /** Relation messages not matched yet: matched on first use, so a skipped transaction's old shapes never are. */
    private final Map<Integer, PgOutputMessage.Relation> unmatched = new HashMap<>();
    private final DdlReplay ddl;
    private final NetChanges net = new NetChanges();
    /** What the collapse buffer, the statement batches and a waiting insert run hold of values, together. */
    private final HeapBudget heap = new HeapBudget();
    private final RetainedChanges retained = new RetainedChanges(heap);
    private final MultiRowStatements multiRow;
    private final CopyInserts copy;
    private final SpilledRows spilled;
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
        this.multiRow = new MultiRowStatements(cache, this::missingRow);
        this.copy = new CopyInserts(connection);
        this.spilled = new SpilledRows(connection, this::missingRow);
        this.collapsible = !triggers.usesFallback();
        this.collapsing = collapsible;
        this.stream = collapsible ? new InsertStream(copy, new InsertStream.Rows() {
            @Override
            public void insert(TargetRelation r, PgOutputMessage.Tuple row) throws SQLException {
                ChangeApplier.this.insert(r, row);
            }

            @Override
            public void flush(TargetRelation r) throws SQLException {
                cache.flush(r.qualified(), ChangeApplier.this::missingRow);
            }
        }, heap) : null;
    }

    void relation(PgOutputMessage.Relation r) throws SQLException {
        if (ddl.isCapture(r)) {
            return;
        }
        try {
            if (collapsing) {
                // what is collected was decoded against the relation as it was; a replay needs it in its place
                retain(r);
                guarded(() -> net.drain(r.id(), this));
            } else {
                endStream();
            }
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.values());
        }
        forget(r);
    }

    /** Matched on first use, so a skipped transaction's old shapes never are (its Relation may be long gone). */
    private void forget(PgOutputMessage.Relation r) {
        relations.remove(r.id());
        unmatched.put(r.id(), r);
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
            } else {
                guarded(() -> {
                    if (!net.absorb(relationOf(change), change)) {
                        int relation = NetChanges.relationId(change);
                        if (relation == -1) {
                            net.drain(this);
                        } else {
                            net.drain(relation, this);
                        }
                        applyOne(change);
                    }
                });
            }
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.values());
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
            TargetRelation r = relationOf(change);
            if (change instanceof PgOutputMessage.Insert i) {
                spilled.insert(r, i.row());
            } else if (change instanceof PgOutputMessage.Update u) {
                spilled.update(r, u);
            } else {
                spilled.delete(r, (PgOutputMessage.Delete) change);
            }
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.values());
        }
    }

    private void applyOne(PgOutputMessage change) throws SQLException {
        if (stream != null && change instanceof PgOutputMessage.Insert i
                && stream.continues(relations.get(i.relationId()))) {
            stream.add(relations.get(i.relationId()), i.row());
            return;
        }
        // the connection runs nothing else while a COPY is open
        endStream();
        if (change instanceof PgOutputMessage.Insert i) {
            TargetRelation r = relation(i.relationId());
            // a folded batch's inserts go out as one COPY already; a stream would hold the connection meanwhile
            if (stream != null && !collapsing && InsertStream.accepts(r)) {
                stream.add(r, i.row());
            } else {
                insert(r, i.row());
            }
        } else if (change instanceof PgOutputMessage.Update u) {
            update(relation(u.relationId()), u);
        } else if (change instanceof PgOutputMessage.Delete d) {
            delete(relation(d.relationId()), d);
        } else if (change instanceof PgOutputMessage.Truncate t) {
            truncate(t);
        } else if (change instanceof PgOutputMessage.Relation r) {
            forget(r);
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
            throw ApplyErrors.withoutValues(e, relations.values());
        }
        stopCollapsing();
        boolean transactional = ddl.replay(connection, i, inTransaction);
        // prepared statements were typed by the old table shapes, and so were the matched relations: both are
        // made again on next use (new Relation messages follow the change)
        cache.close();
        for (TargetRelation r : relations.values()) {
            unmatched.putIfAbsent(r.source().id(), r.source());
        }
        relations.clear();
        inTransaction |= transactional;
    }

    /** Sends the net changes and every batched statement; a constraint hit while collapsing replays instead. */
    private void flushAll() throws SQLException {
        endStream();
        guarded(() -> {
            net.drain(this);
            cache.flush(this::missingRow);
        });
        // a replay applies change by change, and may end in a run of inserts
        endStream();
        cache.flush(this::missingRow);
    }

    /** Records {@code commitLsn} and commits everything applied since the last commit. */
    void commit(Lsn commitLsn) throws SQLException {
        try {
            flushAll();
            progress.setString(1, commitLsn.toString());
            progress.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw ApplyErrors.withoutValues(e, relations.values());
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
            net.drain(this);
            cache.flush(this::missingRow);
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

    private TargetRelation relationOf(PgOutputMessage change) throws SQLException {
        if (change instanceof PgOutputMessage.Insert i) {
            return relation(i.relationId());
        }
        if (change instanceof PgOutputMessage.Update u) {
            return relation(u.relationId());
        }
        return change instanceof PgOutputMessage.Delete d ? relation(d.relationId()) : null;
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

    private TargetRelation relation(int id) throws SQLException {
        TargetRelation r = relations.get(id);
        if (r == null && unmatched.containsKey(id)) {
            r = TargetRelation.match(connection, unmatched.remove(id));
            relations.put(id, r);
        }
        if (r == null) {
            throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "change for relation " + id
                    + " arrived before its Relation message");
        }
        return r;
    }

    /**
     * Collapsed inserts: a run of them as one COPY, after what is queued for the table (its deletes first); as
     * INSERTs where row security applies to the apply role, since COPY FROM refuses such a table.
     */
    @Override
    public void insertAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) throws SQLException {
        if (rows.size() < CopyInserts.MIN_ROWS || r.rowSecurity() || !CopyInserts.fits(rows)) {
            for (PgOutputMessage.Tuple row : rows) {
                insert(r, row);
            }
            return;
        }
        cache.flush(r.qualified(), this::missingRow);
        copy.insert(r, rows);
    }

    private void insert(TargetRelation r, PgOutputMessage.Tuple row) throws SQLException {
        PreparedStatement ps = cache.get(r.sql(new TargetRelation.Shape('I', false, 0, 0), () -> {
            StringBuilder cols = new StringBuilder();
            StringBuilder params = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                cols.append(i == 0 ? "" : ", ").append(r.column(i));
                params.append(i == 0 ? "?" : ", ?");
            }
            // identity columns GENERATED ALWAYS must take the source's values
            return "INSERT INTO " + r.qualified() + " (" + cols + ") OVERRIDING SYSTEM VALUE VALUES (" + params + ")";
        }));
        long bytes = 0;
        for (int i = 0; i < r.size(); i++) {
            bytes += bind(ps, i + 1, row, i);
        }
        cache.add(r.qualified(), ps, false, bytes, () -> "insert into " + r.display(), this::missingRow);
    }

    @Override
    public void updateAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) throws SQLException {
        multiRow.update(r, rows, row -> update(r, new PgOutputMessage.Update(relationId, null, false, row)));
    }

    @Override
    public void deleteAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> keys) throws SQLException {
        multiRow.delete(r, keys, key -> delete(r, new PgOutputMessage.Delete(relationId, key, false)));
    }

    private void update(TargetRelation r, PgOutputMessage.Update u) throws SQLException {
        PgOutputMessage.Tuple row = u.row();
        PgOutputMessage.Tuple old = u.old() != null ? u.old() : row;
        List<Integer> set = new ArrayList<>();
        // without an old key the key did not change: leaving it out of SET spares an index update, and an
        // identity column GENERATED ALWAYS may not be SET at all
        boolean keyUnchanged = u.old() == null;
        for (int i = 0; i < r.size(); i++) {
            if (!row.unchanged()[i] && !(keyUnchanged && r.isKey(i))) {
                set.add(i);
            }
        }
        if (set.isEmpty()) {
            return;
        }
        boolean byKey = !u.oldIsFullRow() && r.hasKey();
        List<Integer> where = whereColumns(r, old, byKey);
        PreparedStatement ps = cache.get(r.sql(new TargetRelation.Shape('U', byKey, mask(set), mask(where)), () -> {
            StringBuilder sql = new StringBuilder("UPDATE ").append(r.only()).append(" SET ");
            for (int k = 0; k < set.size(); k++) {
                sql.append(k == 0 ? "" : ", ").append(r.column(set.get(k))).append(" = ?");
            }
            return sql.append(whereSql(r, where, byKey)).toString();
        }));
        int p = 1;
        long bytes = 0;
        for (int i : set) {
            bytes += bind(ps, p++, row, i);
        }
        String[] found = bindWhere(ps, p, old, where);
        bytes += boundBytes(old, where);
        cache.add(r.qualified(), ps, true, bytes, () -> describe("update", r, found, where, byKey), this::missingRow);
    }

    private void delete(TargetRelation r, PgOutputMessage.Delete d) throws SQLException {
        boolean byKey = !d.oldIsFullRow() && r.hasKey();
        List<Integer> where = whereColumns(r, d.old(), byKey);
        PreparedStatement ps = cache.get(r.sql(new TargetRelation.Shape('D', byKey, 0, mask(where)),
                () -> "DELETE FROM " + r.only() + whereSql(r, where, byKey)));
        String[] found = bindWhere(ps, 1, d.old(), where);
        long bytes = boundBytes(d.old(), where);
        cache.add(r.qualified(), ps, true, bytes, () -> describe("delete", r, found, where, byKey), this::missingRow);
    }

    /** The columns finding the old row: the key's, or for REPLICA IDENTITY FULL every column sent. */
    static List<Integer> whereColumns(TargetRelation r, PgOutputMessage.Tuple old, boolean byKey) {
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (!(byKey && !r.isKey(i)) && !old.unchanged()[i]) {
                used.add(i);
            }
        }
        return used;
    }

    /**
     * The WHERE clause finding the old row: by the key columns, or, for REPLICA IDENTITY FULL, by every sent
     * column compared as text (types such as json have no equality), one row only: by ctid (a TID scan), and
     * for a partitioned table by (tableoid, ctid), since a ctid repeats across partitions. The value sent (the type's
     * output) is read as the column's type and cast to text like the column: a cast to text is not always the
     * output function (boolean's is 'false' for 'f', inet's adds the netmask, char(n)'s drops the padding).
     */
    static String whereSql(TargetRelation r, List<Integer> where, boolean byKey) {
        StringBuilder cond = new StringBuilder();
        for (int i : where) {
            cond.append(cond.length() == 0 ? "" : " AND ").append(r.column(i))
                    .append(byKey ? " = ?" : "::text IS NOT DISTINCT FROM (?::" + r.type(i) + ")::text");
        }
        if (byKey) {
            return " WHERE " + cond;
        }
        if (r.partitioned()) {
            return " WHERE (tableoid, ctid) = (SELECT tableoid, ctid FROM " + r.only() + " WHERE " + cond + " LIMIT 1)";
        }
        return " WHERE ctid = (SELECT ctid FROM " + r.only() + " WHERE " + cond + " LIMIT 1)";
    }

    /** The column indexes as a bit set; -1 (never cached) past 63 columns. */
    private static long mask(List<Integer> columns) {
        long m = 0;
        for (int i : columns) {
            if (i >= 63) {
                return -1;
            }
            m |= 1L << i;
        }
        return m;
    }

    private void truncate(PgOutputMessage.Truncate t) throws SQLException {
        cache.flush(this::missingRow);
        List<String> names = new ArrayList<>();
        for (int id : t.relationIds()) {
            TargetRelation r = relation(id);
            names.add(r.only());
        }
        try (Statement st = connection.createStatement()) {
            st.execute("TRUNCATE " + String.join(", ", names) + (t.restartIdentity() ? " RESTART IDENTITY" : "")
                    + (t.cascade() ? " CASCADE" : ""));
        }
    }

    /**
     * Binds column {@code i} of {@code row}, decoding only it (a String kept in the row would outlive the batch);
     * returns the heap it holds until the batch is sent.
     */
    private static long bind(PreparedStatement ps, int index, PgOutputMessage.Tuple row, int i) throws SQLException {
        String value = row.value(i);
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setString(index, value);
        }
        return HeapBudget.bound(row.length(i));
    }

    /**
     * Binds the values finding the old row from {@code index} on and returns them, for the error naming it: they,
     * not the whole row, are what the batch keeps for that.
     */
    private static String[] bindWhere(PreparedStatement ps, int index, PgOutputMessage.Tuple old, List<Integer> where)
            throws SQLException {
        String[] values = new String[where.size()];
        for (int k = 0; k < where.size(); k++) {
            values[k] = old.value(where.get(k));
            if (values[k] == null) {
                ps.setNull(index + k, Types.OTHER);
            } else {
                ps.setString(index + k, values[k]);
            }
        }
        return values;
    }

    private static long boundBytes(PgOutputMessage.Tuple row, List<Integer> columns) {
        long bytes = 0;
        for (int i : columns) {
            bytes += HeapBudget.bound(row.length(i));
        }
        return bytes;
    }

    /** The row by table and key columns: its values are data, which reach only DEBUG. */
    private static String describe(String op, TargetRelation r, String[] found, List<Integer> where, boolean byKey) {
        StringBuilder cols = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int k = 0; k < where.size(); k++) {
            int i = where.get(k);
            cols.append(k == 0 ? "" : ", ").append(r.column(i));
            values.append(k == 0 ? "" : ", ").append(r.column(i)).append(" = ").append(abbreviate(found[k]));
        }
        log.debug("{} of {} found no row where {}", op, r.qualified(), values);
        return op + " of a row of " + r.qualified() + " by " + (byKey ? "key" : "all its columns") + " (" + cols + ")";
    }

    private static String abbreviate(String v) {
        return v == null ? "NULL" : v.length() > 40 ? "'" + v.substring(0, 40) + "...'" : "'" + v + "'";
    }

    private void missingRow(String description) {
        throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, description + " found no row on the target: "
                + "the target no longer matches the source (was it written to?); verify and migrate again");
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
