package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.internal.tasks.TaskGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The catalog reads of one schema extraction, registered first and then run on every session at the snapshot at
 * once: each read on its own {@link Catalog} (its own warnings), the heavy ones first. Their results and warnings
 * are taken afterwards in the order the extraction needs them, so that the outcome, warnings included, is the one
 * a serial read gives. Most reads take milliseconds of server time and tens of milliseconds of round trips on a
 * busy machine: run side by side, the waits overlap. Not thread-safe (one extraction's thread registers and takes).
 */
final class CatalogReads {
    private static final Logger log = LoggerFactory.getLogger(CatalogReads.class);

    /** One catalog read; it may only query through the catalog it is given. */
    @FunctionalInterface
    interface Read<T> {
        T read(Catalog catalog) throws SQLException;
    }

    /** A registered read: its result and warnings once run. */
    static final class Pending<T> {
        private final Read<T> read;
        private T value;
        private List<String> warnings;

        private Pending(Read<T> read) {
            this.read = read;
        }

        private void run(Connection c, int version, ExtractOptions options) throws SQLException {
            Catalog catalog = new Catalog(c, version, options);
            value = read.read(catalog);
            warnings = catalog.warnings();
        }
    }

    private final int version;
    private final ExtractOptions options;
    private final List<Pending<?>> heavyFirst = new ArrayList<>();
    private int heavy;

    CatalogReads(int version, ExtractOptions options) {
        this.version = version;
        this.options = options;
    }

    /** Registers a read. */
    <T> Pending<T> add(Read<T> read) {
        Pending<T> p = new Pending<>(read);
        heavyFirst.add(p);
        return p;
    }

    /** Registers a read that grows with the number of tables, started before the others (the longest go first). */
    <T> Pending<T> addHeavy(Read<T> read) {
        Pending<T> p = new Pending<>(read);
        heavyFirst.add(heavy++, p);
        return p;
    }

    /**
     * Runs every read: on {@code main} alone, or also on the sessions {@code extra} opens, one thread each. Each
     * session gets the extraction's {@code search_path}; the extra ones are closed (ending their transactions).
     */
    void run(Connection main, CatalogSessions extra) throws SQLException {
        prepare(main);
        if (extra.count() == 0) {
            for (Pending<?> p : heavyFirst) {
                p.run(main, version, options);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        try (TaskGroup group = new TaskGroup(extra.threads(), extra.count() + 1)) {
            group.submit(() -> drain(group, next, main));
            for (int i = 0; i < extra.count(); i++) {
                group.submit(() -> drainOn(extra, group, next));
            }
            group.await();
        } catch (PgRelocateException e) {
            if (e.getCause() instanceof SQLException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Opens one more session and reads on it; a session that cannot be opened leaves its share to the others. */
    private void drainOn(CatalogSessions extra, TaskGroup group, AtomicInteger next) throws SQLException {
        Connection c;
        try {
            c = extra.opener().open();
        } catch (SQLException | RuntimeException e) {
            log.debug("an extra catalog session could not be opened, the others read its share: {}", e.toString());
            return;
        }
        try (c) {
            prepare(c);
            drain(group, next, c);
        }
    }

    private void drain(TaskGroup group, AtomicInteger next, Connection c) throws SQLException {
        int i;
        while (!group.isCancelled() && (i = next.getAndIncrement()) < heavyFirst.size()) {
            heavyFirst.get(i).run(c, version, options);
        }
    }

    /** Names are read with only pg_catalog on the search path, so that every user object comes out qualified. */
    private static void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL search_path = pg_catalog");
        }
    }

    /** The result of {@code p}; its warnings go to {@code into}, after those taken before. */
    <T> T take(Pending<T> p, Catalog into) {
        p.warnings.forEach(into::warn);
        return p.value;
    }
}
