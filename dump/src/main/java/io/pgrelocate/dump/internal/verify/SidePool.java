package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Up to {@code size} named threads working on one server's database, each with its own verify session,
 * opened on first use and closed by {@link #close()}. Thread-safe.
 */
final class SidePool implements AutoCloseable {
    /** Work done on one connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final PgConnector server;
    private final String database;
    private final ExecutorService executor;
    private final ThreadLocal<Connection> session = new ThreadLocal<>();
    private final List<Connection> opened = new ArrayList<>();

    SidePool(PgConnector server, String database, int size) {
        this.server = server;
        this.database = database;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "pgrelocate-verify-" + server.role() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    PgConnector server() {
        return server;
    }

    /**
     * Runs {@code work} on one of the pool's sessions; {@code what} names it in the error when it fails.
     */
    <T> CompletableFuture<T> submit(String what, Work<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.run(connection());
            } catch (SQLException e) {
                throw PgErrors.failed(ErrorCode.INTERNAL, "verify could not read " + what + " in database "
                        + database + " on the " + server.role(), e);
            }
        }, executor);
    }

    private Connection connection() {
        Connection c = session.get();
        if (c == null) {
            c = VerifySession.open(server, database);
            session.set(c);
            synchronized (opened) {
                opened.add(c);
            }
        }
        return c;
    }

    /** Waits for {@code future}, unwrapping the {@link PgRelocateException} a task failed with. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof PgRelocateException p) {
                throw p;
            }
            throw new PgRelocateException(ErrorCode.INTERNAL, "verify failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (opened) {
            for (Connection c : opened) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing after the work is done: nothing left to lose
                }
            }
            opened.clear();
        }
    }
}
