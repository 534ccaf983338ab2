package io.pgrelocate.dump.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How many locks a server's shared lock table holds: {@code max_locks_per_transaction x (max_connections +
 * max_prepared_transactions)}, shared by every session. One transaction may take more than
 * {@code max_locks_per_transaction}, but a transaction that locks thousands of objects (a schema replayed at once,
 * a snapshot session locking every table) runs out of shared memory at default settings. The copy keeps each of
 * its transactions to a share of this, leaving the rest to the other sessions. Immutable.
 *
 * @param total the lock table's size in locked objects
 */
public record LockCapacity(long total) {
    /** Objects a schema statement may lock (a CREATE TABLE: the table, its TOAST table and its index, and more). */
    static final int LOCKS_PER_STATEMENT = 4;

    /** Reads the server's settings. */
    public static LockCapacity read(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT "
                + "current_setting('max_locks_per_transaction')::bigint * (current_setting('max_connections')::bigint "
                + "+ current_setting('max_prepared_transactions')::bigint)")) {
            rs.next();
            return new LockCapacity(rs.getLong(1));
        }
    }

    /** The locks one of the copy's transactions may hold: a quarter of the table, the rest is left to others. */
    public long perTransaction() {
        return Math.max(1, total / 4);
    }

    /** Schema statements per target transaction, so that a batch fits {@link #perTransaction()} with margin. */
    int statementsPerTransaction() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, perTransaction() / LOCKS_PER_STATEMENT));
    }

    /** Tables a copy worker copies in one source transaction before starting a new one at the same snapshot. */
    int tablesPerWorkerTransaction(int jobs) {
        return (int) Math.max(1, Math.min(1000, perTransaction() / Math.max(1, jobs) / 2));
    }
}
