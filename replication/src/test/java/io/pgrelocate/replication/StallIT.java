package io.pgrelocate.replication;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.FaultProxy;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A source path that stops passing data (every connection open at that moment frozen, new ones fine), made by a
 * {@link FaultProxy} in front of the source: detected, reconnected, lag told truly, cutover bounded.
 */
class StallIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards the silent stream: it must be found, reconnected, and still apply every transaction exactly once
    @Test
    void aFrozenStreamIsDetectedAndReconnectedAndStatusShowsTheRealLagMeanwhile() {
        String db = pg.newDatabase("frozen");
        LedgerWriter.createSchema(pg.source(), db);
        try (FaultProxy proxy = FaultProxy.start(pg.source().port());
             LedgerWriter writer = LedgerWriter.start(pg.source(), db);
             Migration m = builder(db, proxy).stallTimeout(Duration.ofSeconds(15)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            long walsender = walsender(db);
            long appliedAtFreeze = pg.target().queryLong(db, "SELECT txns FROM counter");
            proxy.pause();
            await().atMost(Duration.ofSeconds(14)).until(() -> lagBytes(handle, db) > 64 * 1024);
            assertThat(walsender(db)).as("still the frozen stream when the lag showed").isEqualTo(walsender);

            // found within the stall timeout; the bound also covers the server ending the frozen walsender itself
            // (wal_sender_timeout) when ours could not
            await().atMost(Duration.ofMinutes(2)).until(() -> walsender(db) != walsender && walsender(db) != 0);
            await().atMost(Duration.ofMinutes(1)).until(() -> pg.target().queryLong(db, "SELECT txns FROM counter")
                    > appliedAtFreeze + 200);
            writer.close();
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM entry")).as("nothing applied twice")
                .isEqualTo(1000 + LedgerWriter.ROWS_PER_TXN * pg.target().queryLong(db, "SELECT txns FROM counter"));
    }

    // guards cutover --wait hanging on a frozen stream: it must fail by its deadline, the source writable again
    @Test
    void aCutoverDuringTheFreezeFailsWithinItsDeadlineWithTheFenceLifted() {
        String db = pg.newDatabase("frozencut");
        LedgerWriter.createSchema(pg.source(), db);
        try (FaultProxy proxy = FaultProxy.start(pg.source().port());
             Migration m = builder(db, proxy).stallTimeout(Duration.ofSeconds(30))
                     .cutoverTimeout(Duration.ofSeconds(4)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            proxy.pause();
            pg.source().execute(db, "INSERT INTO entry VALUES (1, 1)");
            Instant asked = Instant.now();
            handle.requestCutover();
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> fenced(db));
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !fenced(db));
            assertThat(Duration.between(asked, Instant.now())).as("lifted when the deadline passed")
                    .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(20));
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(2)))
                    .hasMessageContaining("cutover did not finish within").hasMessageContaining("fence was lifted");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        pg.source().execute(db, "INSERT INTO entry VALUES (2, 2)");
    }

    private static MigrationBuilder builder(String db, FaultProxy proxy) {
        Endpoint viaProxy = Endpoint.of("127.0.0.1", proxy.port(), "postgres", PostgresServer.SUPERUSER,
                PostgresServer.PASSWORD).withoutSsl();
        return Migration.builder().source(viaProxy).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId())
                .statusInterval(Duration.ofMillis(200));
    }

    private static long lagBytes(MigrationHandle handle, String db) {
        return handle.status().database(db).map(DatabaseStatus::lagBytes).orElse(0L);
    }

    /** The pid of the walsender streaming the database's slot, 0 when none. */
    private static long walsender(String db) {
        return pg.source().queryLong("postgres", "SELECT coalesce(max(active_pid), 0) FROM pg_replication_slots "
                + "WHERE database = '" + db + "'");
    }

    private static boolean fenced(String db) {
        return "on".equals(pg.source().queryValue(db, "SHOW default_transaction_read_only"));
    }
}
