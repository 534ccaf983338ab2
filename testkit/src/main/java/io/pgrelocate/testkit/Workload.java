package io.pgrelocate.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A concurrent write workload on a source database, for replication tests: inserts, updates (of TOASTed
 * columns, of unchanged TOASTed rows, of primary keys), deletes, multi-statement transactions, savepoints
 * rolled back, and now and then a TRUNCATE. Runs until {@link #close()}; conflicts between its own threads
 * are expected and rolled back.
 *
 * <pre>{@code
 * Workload.createSchema(source, "shop");
 * try (Workload w = Workload.start(source, "shop", 3)) {
 *     ...
 * }
 * }</pre>
 */
public final class Workload implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicReference<Throwable> unexpected = new AtomicReference<>();
    private volatile boolean running = true;

    private Workload() {
    }

    /** Tables the workload writes, with some starting rows. */
    public static void createSchema(SqlRunner server, String database) {
        server.execute(database,
                "CREATE TABLE wl_account (id bigint PRIMARY KEY, balance bigint NOT NULL, note text)",
                "CREATE TABLE wl_doc (id serial PRIMARY KEY, body text, tag text)",
                "CREATE TABLE wl_event (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb, "
                        + "at timestamptz DEFAULT now())",
                "CREATE TABLE wl_log (n int, msg text)",
                "ALTER TABLE wl_log REPLICA IDENTITY FULL",
                "INSERT INTO wl_account SELECT g, g * 10, 'acct ' || g FROM generate_series(1, 2000) g",
                "INSERT INTO wl_doc (body, tag) SELECT repeat(md5(g::text), 400), 't' || g FROM generate_series(1, 50) g",
                "INSERT INTO wl_event (payload) SELECT jsonb_build_object('n', g) FROM generate_series(1, 500) g");
    }

    /** Starts {@code threadCount} writer threads. */
    public static Workload start(SqlRunner server, String database, int threadCount) {
        Workload w = new Workload();
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(() -> w.loop(server, database), "workload-" + database + "-" + i);
            t.setDaemon(true);
            w.threads.add(t);
            t.start();
        }
        return w;
    }

    /** Transactions committed so far. */
    public long committed() {
        return committed.get();
    }

    private void loop(SqlRunner server, String database) {
        while (running) {
            try (Connection c = server.connect(database)) {
                c.setAutoCommit(false);
                while (running) {
                    try (Statement st = c.createStatement()) {
                        transaction(st, ThreadLocalRandom.current());
                        c.commit();
                        committed.incrementAndGet();
                    } catch (SQLException e) {
                        c.rollback();
                        if (!expected(e)) {
                            throw e;
                        }
                    }
                }
            } catch (SQLException e) {
                if (running && !expected(e)) {
                    unexpected.compareAndSet(null, e);
                    return;
                }
            }
        }
    }

    private static boolean expected(SQLException e) {
        String s = e.getSQLState();
        // conflicts between the workload's own threads, and the server going away during a restart test
        return s != null && (s.equals("23505") || s.equals("40001") || s.equals("40P01") || s.startsWith("08")
                || s.startsWith("57P"));
    }

    private static void transaction(Statement st, ThreadLocalRandom r) throws SQLException {
        int statements = 1 + r.nextInt(4);
        for (int i = 0; i < statements; i++) {
            long id = 1 + r.nextInt(3000);
            switch (r.nextInt(12)) {
                case 0, 1 -> st.execute("INSERT INTO wl_account VALUES (" + (10000 + r.nextInt(1_000_000)) + ", "
                        + r.nextInt(1000) + ", 'new') ON CONFLICT DO NOTHING");
                case 2, 3 -> st.execute("UPDATE wl_account SET balance = balance + 1 WHERE id = " + id);
                case 4 -> st.execute("UPDATE wl_account SET id = -id WHERE id = " + id);
                case 5 -> st.execute("DELETE FROM wl_account WHERE id = " + (id + 3000));
                case 6 -> st.execute("UPDATE wl_doc SET tag = 'x" + r.nextInt(100) + "' WHERE id = " + (1 + r.nextInt(50)));
                case 7 -> st.execute("UPDATE wl_doc SET body = repeat(md5(random()::text), 300) WHERE id = "
                        + (1 + r.nextInt(50)));
                case 8 -> st.execute("INSERT INTO wl_event (payload) VALUES ('{\"k\": " + r.nextInt() + "}')");
                case 9 -> st.execute("DELETE FROM wl_event WHERE id = (SELECT min(id) FROM wl_event)");
                case 10 -> {
                    st.execute("SAVEPOINT s");
                    st.execute("INSERT INTO wl_log VALUES (" + r.nextInt(100) + ", 'rolled back')");
                    st.execute("ROLLBACK TO SAVEPOINT s");
                    st.execute("INSERT INTO wl_log VALUES (" + r.nextInt(100) + ", 'kept')");
                }
                default -> {
                    if (r.nextInt(400) == 0) {
                        st.execute("TRUNCATE wl_log");
                    } else {
                        st.execute("DELETE FROM wl_log WHERE n = " + r.nextInt(100));
                    }
                }
            }
        }
    }

    /** Stops the writers and waits for them; throws if a writer failed unexpectedly. */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (unexpected.get() != null) {
            throw new IllegalStateException("workload failed: " + unexpected.get().getMessage(), unexpected.get());
        }
    }
}
