package io.pgrelocate.replication.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements by SQL text, on the apply connection, and the one JDBC batch in flight. Statements
 * run in source order: queuing a statement other than the batched one flushes the batch first.
 */
final class StatementCache implements AutoCloseable {
    /** Rows per JDBC batch: bounds memory for transactions of any size. */
    private static final int BATCH_ROWS = 500;

    /** Reports an UPDATE or DELETE that found no row. */
    interface MissingRow {
        void report(String description);
    }

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final java.util.ArrayList<java.util.function.Supplier<String>> batchDescriptions = new java.util.ArrayList<>();
    private PreparedStatement batched;
    private boolean batchMustTouchRow;

    StatementCache(Connection connection) {
        this.connection = connection;
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
     * Adds the statement's current parameters to the batch.
     *
     * @param description names the row for the error raised when it must touch a row and touches none
     */
    void add(PreparedStatement ps, boolean mustTouchRow, java.util.function.Supplier<String> description,
             MissingRow missing)
            throws SQLException {
        if (batched != null && (batched != ps || batchMustTouchRow != mustTouchRow)) {
            flush(missing);
        }
        ps.addBatch();
        batched = ps;
        batchMustTouchRow = mustTouchRow;
        batchDescriptions.add(description);
        if (batchDescriptions.size() >= BATCH_ROWS) {
            flush(missing);
        }
    }

    void flush(MissingRow missing) throws SQLException {
        if (batched == null) {
            return;
        }
        int[] counts = batched.executeBatch();
        if (batchMustTouchRow) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    missing.report(batchDescriptions.get(i).get());
                }
            }
        }
        batched = null;
        batchDescriptions.clear();
    }

    /** Drops the batch in flight (after a rollback). */
    void discard() throws SQLException {
        if (batched != null) {
            batched.clearBatch();
        }
        batched = null;
        batchDescriptions.clear();
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
