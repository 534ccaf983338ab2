package io.pgrelocate.replication;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The stream under a source restart, an idle database, a schema change, the maximum duration; lag reporting. */
class StreamResilienceIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void reconnectsAfterTheSourceRestartsAndEndsIdentical() {
        String db = pg.newDatabase("restart");
        LedgerWriter.createSchema(pg.source(), db);
        try (LedgerWriter writer = LedgerWriter.start(pg.source(), db); Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            long before = writer.committed();
            await().atMost(Duration.ofMinutes(1)).until(() -> writer.committed() > before + 50);
            pg.source().restart();
            long afterRestart = writer.committed();
            await().atMost(Duration.ofMinutes(1)).until(() -> writer.committed() > afterRestart + 100);
            // the stream came back: the target gets what was written after the restart
            await().atMost(Duration.ofMinutes(2)).until(() -> pg.target().queryLong(db, "SELECT txns FROM counter")
                    > afterRestart + 50);
            writer.close();
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM entry"))
                .isEqualTo(1000 + LedgerWriter.ROWS_PER_TXN * pg.target().queryLong(db, "SELECT txns FROM counter"));
    }

    // guards WAL retention: a database nobody writes to must still move its slot forward
    @Test
    void idleDatabaseSlotKeepsAdvancingNextToABusyOneAndLagIsReported() {
        String busy = pg.newDatabase("busy");
        String idle = pg.newDatabase("idle");
        LedgerWriter.createSchema(pg.source(), busy);
        pg.source().execute(idle, "CREATE TABLE quiet (id int PRIMARY KEY)", "INSERT INTO quiet VALUES (1)");
        List<MigrationEvent> events = new CopyOnWriteArrayList<>();
        try (LedgerWriter writer = LedgerWriter.start(pg.source(), busy);
             Migration m = builder(busy, idle).listener(MigrationListener.of(events::add)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            Lsn idleAtCatchUp = idleSlotPosition(idle);
            long before = writer.committed();
            await().atMost(Duration.ofMinutes(1)).until(() -> writer.committed() > before + 200);
            Lsn walNow = Lsn.parse(pg.source().queryValue("postgres", "SELECT pg_current_wal_lsn()::text"));
            await().atMost(Duration.ofMinutes(1)).until(() -> idleSlotPosition(idle).compareTo(walNow) >= 0);
            assertThat(idleSlotPosition(idle)).isGreaterThan(idleAtCatchUp);

            DatabaseStatus status = handle.status().database(busy).orElseThrow();
            assertThat(status.lagBytes()).isGreaterThanOrEqualTo(0);
            assertThat(status.lagTime()).isNotNull();
            assertThat(status.lastAppliedLsn()).isNotNull();
            writer.close();
            // once writes stop, the busy database's lag drops to (almost) nothing
            await().atMost(Duration.ofMinutes(1)).until(() ->
                    handle.status().database(busy).orElseThrow().lagBytes() < 64 * 1024);
            assertThat(handle.stop(Duration.ofMinutes(1))).isEqualTo(MigrationState.STOPPED);
        }
        assertThat(events).filteredOn(e -> e instanceof MigrationEvent.CaughtUp).extracting(e ->
                ((MigrationEvent.CaughtUp) e).database()).contains(busy, idle);
        assertThat(events).filteredOn(e -> e instanceof MigrationEvent.LagUpdated l && l.database().equals(busy))
                .as("lag events of the busy database").isNotEmpty()
                .anyMatch(e -> ((MigrationEvent.LagUpdated) e).lagBytes() > 0);
    }

    // guards against dropping data silently: without DDL capture, a column added on the source must stop that database
    @Test
    void schemaChangeOnTheSourceStopsTheDatabaseNamingTableAndColumn() {
        String db = pg.newDatabase("ddl");
        pg.source().execute(db, "CREATE TABLE account (id int PRIMARY KEY, name text)",
                "INSERT INTO account VALUES (1, 'a')");
        try (Migration m = builder(db).captureDdl(false).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "ALTER TABLE account ADD COLUMN vip boolean", "INSERT INTO account VALUES (2, 'b', true)");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                    .hasMessageContaining("column vip").hasMessageContaining("public.account");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            assertThat(handle.status().database(db).orElseThrow().phase()).isEqualTo(Phase.FAILED);
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM account")).as("the new row was not half-applied")
                .isEqualTo(1);
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = '"
                + db + "'")).as("slot kept, so the migration can resume once the target has the column").isEqualTo(1);
    }

    @Test
    void stopsByItselfAtTheMaximumDurationKeepingTheTargetData() {
        String db = pg.newDatabase("deadline");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 100)");
        try (Migration m = builder(db).maxDuration(Duration.ofSeconds(25)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();
            pg.source().execute(db, "INSERT INTO t VALUES (101)");
            assertThat(handle.await(Duration.ofMinutes(1))).isEqualTo(MigrationState.STOPPED);
            assertThat(handle.status().database(db).orElseThrow().phase()).isEqualTo(Phase.STOPPED);
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM t")).isEqualTo(101);
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots")).isZero();
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_publication")).isZero();
    }

    private static Lsn idleSlotPosition(String db) {
        String v = pg.source().queryValue("postgres", "SELECT confirmed_flush_lsn::text FROM pg_replication_slots "
                + "WHERE database = '" + db + "'");
        return v == null ? Lsn.INVALID : Lsn.parse(v);
    }

    private MigrationBuilder builder(String... dbs) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(dbs).migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200));
    }
}
