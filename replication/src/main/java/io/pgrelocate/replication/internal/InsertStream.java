package io.pgrelocate.replication.internal;

import org.postgresql.copy.CopyIn;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of consecutive inserts into one table, applied change by change (past what a target transaction can
 * collapse: one source transaction inserting millions of rows), as one open {@code COPY ... FROM STDIN} for as
 * long as the run lasts. The rows go to the server as they arrive through {@link CopyInserts}' 64 kB buffer,
 * so the heap holds no more of the run than that, however long it is; on the target one COPY costs a fraction
 * of an INSERT per row. Row by row it is the same change as the INSERTs: same order, same rows, no trigger
 * under {@code session_replication_role = replica}, and a constraint failure fails the run as the INSERT would.
 *
 * <p>While the COPY is open the connection can run nothing else: the owner ends the run ({@link #end}) before
 * any other statement, and abandons it ({@link #cancel}) before a rollback. A run shorter than
 * {@link CopyInserts#MIN_ROWS} is not worth a COPY's extra round trip and goes out as INSERTs, unless its rows
 * spend the apply's {@link HeapBudget} first (a few rows of many MB): then the COPY starts with them. Not
 * thread-safe.
 */
final class InsertStream {
    /** Where a run too short for a COPY goes, and what must reach the table before the COPY starts. */
    interface Rows {
        /** Queues {@code row} as an INSERT into {@code r}, in order with the table's other statements. */
        void insert(TargetRelation r, PgOutputMessage.Tuple row) throws SQLException;

        /** Executes what is queued for {@code r}, so that it precedes the COPY. */
        void flush(TargetRelation r) throws SQLException;
    }

    private final CopyInserts copy;
    private final Rows rows;
    private final HeapBudget heap;
    private final List<PgOutputMessage.Tuple> waiting = new ArrayList<>(CopyInserts.MIN_ROWS);
    /** The heap the waiting rows hold. */
    private long waitingBytes;
    private TargetRelation relation;
    private CopyIn in;
    private long written;

    InsertStream(CopyInserts copy, Rows rows, HeapBudget heap) {
        this.copy = copy;
        this.rows = rows;
        this.heap = heap;
    }

    /** Whether an insert into {@code r} continues the run in progress (null: a relation not matched yet). */
    boolean continues(TargetRelation r) {
        return r != null && r == relation;
    }

    /** Whether {@code r} can take a COPY: it refuses a table with row security for the apply role. */
    static boolean accepts(TargetRelation r) {
        return !r.rowSecurity();
    }

    /** Adds {@code row} to the run into {@code r}; the caller ended any run into another table first. */
    void add(TargetRelation r, PgOutputMessage.Tuple row) throws SQLException {
        relation = r;
        if (in != null) {
            copy.row(in, row);
            written++;
            return;
        }
        waiting.add(row);
        long bytes = HeapBudget.of(row);
        waitingBytes += bytes;
        heap.hold(bytes);
        if (waiting.size() >= CopyInserts.MIN_ROWS || heap.spent()) {
            rows.flush(r);
            in = copy.begin(r);
            for (PgOutputMessage.Tuple w : waiting) {
                copy.row(in, w);
            }
            written = waiting.size();
            unwait();
        }
    }

    /** Forgets the waiting rows: written to the COPY, handed on as INSERTs, or abandoned. */
    private void unwait() {
        waiting.clear();
        heap.release(waitingBytes);
        waitingBytes = 0;
    }

    /** Sends the run: ends its COPY (a failure is the server's, a constraint's say), or queues its few INSERTs. */
    void end() throws SQLException {
        if (relation == null) {
            return;
        }
        TargetRelation r = relation;
        relation = null;
        if (in != null) {
            CopyIn open = in;
            in = null;
            try {
                copy.end(open, r, written);
            } finally {
                CopyInserts.cancel(open);
            }
            return;
        }
        List<PgOutputMessage.Tuple> few = new ArrayList<>(waiting);
        unwait();
        for (PgOutputMessage.Tuple row : few) {
            rows.insert(r, row);
        }
    }

    /** Abandons the run, before a rollback or a close: what it wrote is the server's to roll back. */
    void cancel() {
        relation = null;
        unwait();
        CopyIn open = in;
        in = null;
        try {
            CopyInserts.cancel(open);
        } catch (SQLException e) {
            // the connection is rolled back or closed next, which ends the COPY anyway
        }
    }
}
