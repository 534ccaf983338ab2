package io.pgrelocate.replication;

import io.pgrelocate.testkit.SqlRunner;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes small transactions into {@code entry} (no key, so a transaction applied twice leaves duplicate rows)
 * and counts them in {@code counter}, until closed. Rides out the source going away and coming back.
 */
final class LedgerWriter implements AutoCloseable {
    static final int ROWS_PER_TXN = 3;

    private final AtomicLong committed = new AtomicLong();
    private final AtomicReference<Throwable> unexpected = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private LedgerWriter(SqlRunner server, String database) {
        thread = new Thread(() -> loop(server, database), "ledger-writer-" + database);
        thread.setDaemon(true);
    }

    static void createSchema(SqlRunner server, String database) {
        server.execute(database,
                "CREATE TABLE entry (account int, amount bigint)",
                "ALTER TABLE entry REPLICA IDENTITY FULL",
                "CREATE TABLE counter (id int PRIMARY KEY, txns bigint NOT NULL)",
                "INSERT INTO counter VALUES (1, 0)",
                "INSERT INTO entry SELECT g % 10, g FROM generate_series(1, 1000) g");
    }

    static LedgerWriter start(SqlRunner server, String database) {
        LedgerWriter w = new LedgerWriter(server, database);
        w.thread.start();
        return w;
    }

    /** Transactions committed so far (each added {@link #ROWS_PER_TXN} rows and 1 to the counter). */
    long committed() {
        return committed.get();
    }

    private void loop(SqlRunner server, String database) {
        long n = 0;
        while (running) {
            try (Connection c = server.connect(database); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                while (running) {
                    n++;
                    st.execute("INSERT INTO entry SELECT " + (n % 10) + ", " + n + " * 1000 + g FROM generate_series(1, "
                            + ROWS_PER_TXN + ") g");
                    st.execute("UPDATE counter SET txns = txns + 1 WHERE id = 1");
                    c.commit();
                    committed.incrementAndGet();
                }
            } catch (SQLException e) {
                String state = e.getSQLState();
                // a restarted source: wait for it to come back (a lost commit is not counted)
                if (running && (state == null || !(state.startsWith("08") || state.startsWith("57P")))) {
                    unexpected.compareAndSet(null, e);
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (unexpected.get() != null) {
            throw new IllegalStateException("ledger writer failed: " + unexpected.get().getMessage(), unexpected.get());
        }
    }
}
