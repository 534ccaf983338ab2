package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.PostgresServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's application: keeps writing to the sample databases while they migrate (new customers and
 * orders with their items, status changes, cancelled orders deleted, page views), one writer per database.
 */
final class DemoWorkload implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private DemoWorkload() {
    }

    static DemoWorkload start(PostgresServer source) {
        DemoWorkload w = new DemoWorkload();
        w.writer(source, SampleData.SHOP, DemoWorkload::shopTransaction);
        w.writer(source, SampleData.ANALYTICS, DemoWorkload::analyticsTransaction);
        return w;
    }

    long committed() {
        return committed.get();
    }

    private void writer(PostgresServer source, String database, Transaction transaction) {
        Thread t = new Thread(() -> {
            try (Connection c = source.connect(database)) {
                c.setAutoCommit(false);
                while (running) {
                    try (Statement st = c.createStatement()) {
                        transaction.run(st, ThreadLocalRandom.current());
                    }
                    c.commit();
                    committed.incrementAndGet();
                }
            } catch (SQLException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }, "demo-app-" + database);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void shopTransaction(Statement st, ThreadLocalRandom r) throws SQLException {
        switch (r.nextInt(4)) {
            case 0 -> st.execute("WITH c AS (INSERT INTO customers (name, email) VALUES ('New customer', "
                    + "'new" + r.nextInt(1_000_000_000) + "@example.com') RETURNING id), "
                    + "o AS (INSERT INTO orders (customer_id, placed_at, note) SELECT id, now(), 'first order' FROM c "
                    + "RETURNING id) INSERT INTO order_items (order_id, product_id, quantity) "
                    + "SELECT o.id, " + (1 + r.nextInt(2000)) + ", 1 FROM o");
            case 1 -> st.execute("UPDATE orders SET status = 'shipped' WHERE id = " + (1 + r.nextInt(100_000))
                    + " AND status = 'paid'");
            case 2 -> st.execute("DELETE FROM orders WHERE id = " + (1 + r.nextInt(100_000))
                    + " AND status = 'cancelled'");
            default -> st.execute("UPDATE products SET price = price + 0.01, attributes = attributes || "
                    + "'{\"on_sale\": true}' WHERE id = " + (1 + r.nextInt(2000)));
        }
    }

    private static void analyticsTransaction(Statement st, ThreadLocalRandom r) throws SQLException {
        st.execute("INSERT INTO page_views (url, viewed_at, visitor, props, tags) SELECT '/page/' || (g % 997), "
                + "now(), gen_random_uuid(), '{\"ref\": \"live\"}', ARRAY['live'] FROM generate_series(1, "
                + (1 + r.nextInt(20)) + ") g");
    }

    /** Stops the writers; throws if one of them failed. */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the demo's workload failed: " + failure.get().getMessage(), failure.get());
        }
    }

    @FunctionalInterface
    private interface Transaction {
        void run(Statement st, ThreadLocalRandom random) throws SQLException;
    }
}
