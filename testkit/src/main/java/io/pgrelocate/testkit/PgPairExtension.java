package io.pgrelocate.testkit;

import io.pgrelocate.core.spi.Sql;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JUnit 5 extension giving each test a source and a target server (shared across test classes) and
 * fresh, uniquely named databases that are dropped on both servers after the test, with any replication
 * slot of theirs.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PgPairExtension pg = PgPairExtension.pair(14, 17);
 *
 * @Test
 * void copiesOrders() {
 *     String db = pg.newDatabase("shop");
 *     pg.source().execute(db, "CREATE TABLE orders (id int PRIMARY KEY)");
 *     ...
 * }
 * }</pre>
 */
public final class PgPairExtension implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final int sourceMajor;
    private final int targetMajor;
    private final List<String> databases = new ArrayList<>();
    private PostgresServer source;
    private PostgresServer target;
    private String testName = "test";

    private PgPairExtension(int sourceMajor, int targetMajor) {
        this.sourceMajor = sourceMajor;
        this.targetMajor = targetMajor;
    }

    /** Source and target of the default major ({@link PgServers#defaultMajor()}). */
    public static PgPairExtension pair() {
        return pair(PgServers.defaultMajor(), PgServers.defaultMajor());
    }

    public static PgPairExtension pair(int sourceMajor, int targetMajor) {
        return new PgPairExtension(sourceMajor, targetMajor);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        source();
        target();
        testName = context.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    public synchronized PostgresServer source() {
        if (source == null) {
            source = PgServers.shared(sourceMajor, "source");
        }
        if (!source.isRunning()) {
            source.start();
        }
        return source;
    }

    public synchronized PostgresServer target() {
        if (target == null) {
            target = PgServers.shared(targetMajor, "target");
        }
        if (!target.isRunning()) {
            target.start();
        }
        return target;
    }

    /** Creates a database on the source named {@code prefix_N} (unique in this JVM) and returns its name. */
    public String newDatabase(String prefix) {
        String name = uniqueName(prefix);
        source().createDatabase(name);
        return name;
    }

    /** A unique name, registered for dropping on both servers after the test. */
    public synchronized String uniqueName(String prefix) {
        String name = prefix + "_" + COUNTER.incrementAndGet();
        databases.add(name);
        return name;
    }

    /** Registers a database created by the test itself for dropping after the test. */
    public synchronized void dropAfterTest(String database) {
        databases.add(database);
    }

    /** A migration id unique to this test, usable as a slot-name part. */
    public String migrationId() {
        String base = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String id = "t" + COUNTER.incrementAndGet() + "_" + base;
        return id.length() > 30 ? id.substring(0, 30) : id;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        for (PostgresServer s : List.of(source(), target())) {
            for (String db : databases) {
                dropWithSlots(s, db);
            }
            s.execute("postgres", "DROP SCHEMA IF EXISTS pgrelocate CASCADE");
        }
        databases.clear();
    }

    private static void dropWithSlots(PostgresServer s, String db) {
        String lit = Sql.literal(db);
        s.execute("postgres",
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = " + lit
                        + " AND active_pid IS NOT NULL",
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = " + lit
                        + " AND NOT active");
        s.dropDatabase(db);
    }
}
