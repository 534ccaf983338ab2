package io.pgrelocate.replication;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.FaultProxy;
import io.pgrelocate.testkit.PgServers;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A source that invalidates a stalled stream's slot (a small max_slot_wal_keep_size), and the way out. */
class SlotInvalidationIT {
    private static PostgresServer source;
    private static PostgresServer target;

    @BeforeAll
    static void servers() {
        source = PostgresServer.builder().major(16).setting("max_slot_wal_keep_size", "1MB").start();
        target = PgServers.shared(17, "target");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    // guards the unexplained SQLSTATE 55000 and the rerun that looped on it
    @Test
    void anInvalidatedSlotIsNamedWithItsCauseAndARerunThatOptsInCopiesTheDatabaseAgain() {
        String db = "shop_" + ProcessHandle.current().pid();
        String id = "invalidated" + ProcessHandle.current().pid() % 100000;
        source.createDatabase(db);
        LedgerWriter.createSchema(source, db);
        try {
            try (FaultProxy proxy = FaultProxy.start(source.port());
                 Migration m = builder(viaProxy(proxy), db, id).stallTimeout(Duration.ofSeconds(5)).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                proxy.pause();
                await().atMost(Duration.ofMinutes(2)).until(() -> {
                    source.execute(db, "INSERT INTO entry SELECT 0, g FROM generate_series(1, 30000) g",
                            "SELECT pg_switch_wal()", "CHECKPOINT");
                    return "lost".equals(walStatus(db));
                });
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(2)))
                        .hasMessageContaining("invalidated replication slot")
                        .hasMessageContaining("max_slot_wal_keep_size (1MB)")
                        .hasMessageContaining("--recopy-invalidated");
            }
            // a rerun without consent fails at once with the same explanation, instead of the bare error again
            try (Migration m = builder(source.endpoint("postgres"), db, id).build()) {
                MigrationHandle handle = m.start();
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1)))
                        .hasMessageContaining("invalidated replication slot");
            }
            try (Migration m = builder(source.endpoint("postgres"), db, id).recopyInvalidatedSlots(true).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                source.execute(db, "INSERT INTO entry VALUES (7, 7)", "UPDATE counter SET txns = txns + 1");
                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            DataCompare.assertSameData(source, target, db);
        } finally {
            target.dropDatabase(db);
            target.execute("postgres", "DROP SCHEMA IF EXISTS pgrelocate CASCADE");
        }
    }

    private static MigrationBuilder builder(Endpoint src, String db, String id) {
        return Migration.builder().source(src).target(target.endpoint("postgres")).mode(Mode.CONTINUOUS)
                .databases(db).migrationId(id).statusInterval(Duration.ofMillis(200));
    }

    private static Endpoint viaProxy(FaultProxy proxy) {
        return Endpoint.of("127.0.0.1", proxy.port(), "postgres", PostgresServer.SUPERUSER, PostgresServer.PASSWORD)
                .withoutSsl();
    }

    private static String walStatus(String db) {
        return source.queryValue("postgres", "SELECT max(wal_status) FROM pg_replication_slots WHERE database = '"
                + db + "'");
    }
}
