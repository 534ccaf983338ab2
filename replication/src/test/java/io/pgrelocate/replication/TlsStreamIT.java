package io.pgrelocate.replication;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.FaultProxy;
import io.pgrelocate.testkit.PgServers;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A continuous migration from a source that refuses connections without TLS: copy, bursts of inserts, updates and
 * deletes with idle gaps between them, a value big enough for the stream's spill file, then the cutover. The
 * source is reached through a proxy that slows some bursts down, so TLS records arrive in pieces and the reader's
 * timed waits for the next message (socket read timeouts) end with half a record received: the stream must go on
 * from there, on the same connection, with nothing lost or garbled.
 */
class TlsStreamIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final PostgresServer target = PgServers.shared(18, "target");

    // guards streaming over TLS: a read timeout mid-record must neither corrupt the stream nor make it reconnect
    @ParameterizedTest(name = "PostgreSQL {0} with sslmode={1}")
    @CsvSource({"14, require", "18, verify-full"})
    void streamsFromATlsOnlySourceThroughIdleGapsAndABigValueAndEndsIdentical(int major, String sslmode) {
        String db = "tls_" + major + "_" + DATABASES.incrementAndGet();
        try (PostgresServer source = PostgresServer.builder().major(major).tls().start();
             FaultProxy proxy = FaultProxy.start(source.port())) {
            source.createDatabase(db);
            source.execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text, n int)",
                    "CREATE TABLE blob (id int PRIMARY KEY, b bytea, note text)",
                    "INSERT INTO item SELECT g, md5(g::text), g FROM generate_series(1, 20000) g");
            Endpoint viaProxy = Endpoint.parse("postgresql://" + PostgresServer.SUPERUSER + ":"
                    + PostgresServer.PASSWORD + "@127.0.0.1:" + proxy.port() + "/postgres?sslmode=" + sslmode
                    + (sslmode.equals("verify-full") ? "&sslrootcert=" + source.rootCertificate() : ""));
            try (Migration m = Migration.builder().source(viaProxy).target(target.endpoint("postgres"))
                    .mode(Mode.CONTINUOUS).databases(db).migrationId("tls" + major + "_" + DATABASES.get())
                    .statusInterval(Duration.ofMillis(200)).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                int walsender = walsender(source, db);
                assertThat(source.queryValue("postgres", "SELECT ssl::text FROM pg_stat_ssl WHERE pid = " + walsender))
                        .as("the replication connection uses TLS").isEqualTo("true");

                proxy.throttle(96 * 1024);
                source.execute(db, burst(1, 200));
                awaitSame(source, db, handle, walsender);
                idle(source, db, handle, walsender);
                proxy.throttle(0);

                // 6 MB of bytea is a 12 MB hex string: a message past what is read whole, its value spilled to a file
                source.execute(db, "INSERT INTO blob SELECT 1, decode(string_agg(md5(g::text), ''), 'hex'), 'big' "
                        + "FROM generate_series(1, 6 * 1024 * 1024 / 16) g",
                        "UPDATE blob SET b = b || '\\x0102'::bytea, note = 'bigger' WHERE id = 1",
                        "INSERT INTO blob VALUES (2, '\\x00ff', 'small')");
                awaitSame(source, db, handle, walsender);
                idle(source, db, handle, walsender);

                proxy.throttle(64 * 1024);
                source.execute(db, burst(2, 150));
                source.execute(db, "UPDATE blob SET note = 'toast unchanged' WHERE id = 1", "DELETE FROM blob WHERE id = 2");
                awaitSame(source, db, handle, walsender);
                idle(source, db, handle, walsender);
                proxy.throttle(0);

                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            DataCompare.assertSameData(source, target, db);
            String big = "SELECT md5(b) || ':' || length(b) || ':' || note FROM blob WHERE id = 1";
            assertThat(target.queryValue(db, big)).isEqualTo(source.queryValue(db, big)).endsWith(":6291458:toast unchanged");
        } finally {
            target.dropDatabase(db);
        }
    }

    /** {@code transactions} transactions, each inserting 5 rows, updating 5 and deleting 2. */
    private static String[] burst(int round, int transactions) {
        List<String> sql = new ArrayList<>();
        for (int t = 0; t < transactions; t++) {
            int base = round * 100_000 + t * 10;
            int old = (round * 7919 + t * 37) % 19_000 + 1;
            sql.add("BEGIN");
            sql.add("INSERT INTO item SELECT g, md5(g::text) || ' round " + round + "', g FROM generate_series("
                    + base + ", " + (base + 4) + ") g");
            sql.add("UPDATE item SET v = v || ' updated', n = n + 1 WHERE id BETWEEN " + old + " AND " + (old + 4));
            sql.add("DELETE FROM item WHERE id IN (" + (old + 5) + ", " + (base + 4) + ")");
            sql.add("COMMIT");
        }
        return sql.toArray(String[]::new);
    }

    /** Waits until the target holds what the source does, on the same replication connection throughout. */
    private static void awaitSame(PostgresServer source, String db, MigrationHandle handle, int walsender) {
        var expected = DataCompare.tables(source, db);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertHealthy(source, db, handle, walsender);
            return expected.equals(DataCompare.tables(target, db));
        });
    }

    /** Some seconds without a change: the reader's waits time out again and again; nothing may break meanwhile. */
    private static void idle(PostgresServer source, String db, MigrationHandle handle, int walsender) {
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> {
            assertHealthy(source, db, handle, walsender);
            return true;
        });
    }

    private static void assertHealthy(PostgresServer source, String db, MigrationHandle handle, int walsender) {
        assertThat(handle.state()).isEqualTo(MigrationState.RUNNING);
        assertThat(walsender(source, db)).as("the same replication connection (no reconnect after a stream error)")
                .isEqualTo(walsender);
    }

    /** The PID of the walsender streaming {@code db}'s slot (0 while none). */
    private static int walsender(PostgresServer source, String db) {
        String pid = source.queryValue("postgres", "SELECT coalesce(max(active_pid), 0) FROM pg_replication_slots "
                + "WHERE database = '" + db + "'");
        return Integer.parseInt(pid);
    }
}
