package io.pgrelocate.replication.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prepared statements by SQL text on the apply connection, and the JDBC batches in flight: one per table.
 * Changes to one table run in source order (queuing another statement for a table first executes what
 * that table has queued); changes to different tables may run in another order within the target
 * transaction, which is what lets a transaction touching several tables, repeated many times (pgbench's),
 * go out in a few round trips instead of one per row. That is safe because the apply session fires no
 * triggers, foreign keys included ({@code session_replication_role = replica}); when the trigger
 * fallback leaves foreign keys enforced, every change shares one queue and keeps the source's total order.
 * Not thread-safe.
 */
final class StatementCache implements AutoCloseable {
    /** Rows per JDBC batch. */
    private static final int BATCH_ROWS = 500;
    /** Rows queued over all tables before everything is sent: bounds round trips' size for transactions of any shape. */
    private static final int MAX_QUEUED_ROWS = 5_000;

    /** Reports an UPDATE or DELETE that found no row. */
    interface MissingRow {
        void report(String description);
    }

    /** One table's queued rows: consecutive executions of one statement. */
    private static final class Queue {
        private PreparedStatement statement;
        private boolean mustTouchRow;
        private final List<Supplier<String>> descriptions = new ArrayList<>();
        /** Per execution, the rows it must touch (a statement of several rows must touch them all). */
        private final List<Integer> expected = new ArrayList<>();
        /** The heap its bound values hold ({@link HeapBudget}). */
        private long bytes;
    }

    private final Connection connection;
    private final boolean totalOrder;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final HeapBudget heap;
    private int queued;

    /**
     * @param totalOrder keep every change in source order (foreign keys are checked on the target)
     * @param heap       what the batches hold counts here; when it is spent, everything queued is sent
     */
    StatementCache(Connection connection, boolean totalOrder, HeapBudget heap) {
        this.connection = connection;
        this.totalOrder = totalOrder;
        this.heap = heap;
    }

    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /**
     * Adds the statement's current parameters to {@code table}'s batch.
     *
     * @param bytes       the heap the parameters hold until sent ({@link HeapBudget#bound})
     * @param description names the row for the error raised when it must touch a row and touches none
     */
    void add(String table, PreparedStatement ps, boolean mustTouchRow, long bytes, Supplier<String> description,
             MissingRow missing) throws SQLException {
        add(table, ps, mustTouchRow ? 1 : 0, bytes, description, missing);
    }

    /** {@link #add} for a statement that must touch {@code expectedRows} rows (0: any number). */
    void add(String table, PreparedStatement ps, int expectedRows, long bytes, Supplier<String> description,
             MissingRow missing) throws SQLException {
        boolean mustTouchRow = expectedRows > 0;
        Queue q = queues.computeIfAbsent(totalOrder ? "" : table, k -> new Queue());
        if (q.statement != null && (q.statement != ps || q.mustTouchRow != mustTouchRow)) {
            flush(q, missing);
        }
        ps.addBatch();
        q.statement = ps;
        q.mustTouchRow = mustTouchRow;
        q.descriptions.add(description);
        q.expected.add(expectedRows);
        q.bytes += bytes;
        heap.hold(bytes);
        queued++;
        if (q.descriptions.size() >= BATCH_ROWS) {
            flush(q, missing);
        } else if (queued >= MAX_QUEUED_ROWS || heap.spent()) {
            flush(missing);
        }
    }

    /** Executes every queued row. */
    void flush(MissingRow missing) throws SQLException {
        for (Queue q : queues.values()) {
            flush(q, missing);
        }
    }

    /** Executes what is queued for {@code table}: before it is written another way (COPY). */
    void flush(String table, MissingRow missing) throws SQLException {
        Queue q = queues.get(totalOrder ? "" : table);
        if (q != null) {
            flush(q, missing);
        }
    }

    private void flush(Queue q, MissingRow missing) throws SQLException {
        if (q.statement == null) {
            return;
        }
        PreparedStatement ps = q.statement;
        List<Supplier<String>> described = new ArrayList<>(q.descriptions);
        List<Integer> expected = new ArrayList<>(q.expected);
        boolean check = q.mustTouchRow;
        int[] counts;
        queued -= q.descriptions.size();
        long bytes = q.bytes;
        q.statement = null;
        q.descriptions.clear();
        q.expected.clear();
        q.bytes = 0;
        try {
            counts = ps.executeBatch();
        } finally {
            // sent or failed, pgjdbc clears the batch: it holds none of it afterwards
            heap.release(bytes);
        }
        if (check) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] >= 0 && counts[i] < expected.get(i)) {
                    missing.report(described.get(i).get());
                }
            }
        }
    }

    /** Drops the batches in flight (after a rollback). */
    void discard() throws SQLException {
        for (Queue q : queues.values()) {
            if (q.statement != null) {
                q.statement.clearBatch();
            }
            q.statement = null;
            q.descriptions.clear();
            q.expected.clear();
            heap.release(q.bytes);
            q.bytes = 0;
        }
        queued = 0;
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is going away
            }
        }
        statements.clear();
    }
}
