package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dump migrations between servers of the same major (17 into 17). */
class DumpMigrationIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void copiesTwoDatabasesRowForRowAndLeavesTheIgnoredOneBehind() {
        String shop = pg.newDatabase("shop");
        String crm = pg.newDatabase("crm");
        String ignored = pg.newDatabase("ignored");
        SampleSchemas.everyType(pg.source(), shop);
        SampleSchemas.everyColumnProperty(pg.source(), crm);
        pg.source().execute(ignored, "CREATE TABLE t AS SELECT 1 AS x");

        List<MigrationEvent> events = new CopyOnWriteArrayList<>();
        MigrationState end = migrate(List.of(shop, crm), MigrationListener.of(events::add));

        assertThat(end).isEqualTo(MigrationState.COMPLETED);
        DataCompare.assertSameData(pg.source(), pg.target(), shop);
        DataCompare.assertSameData(pg.source(), pg.target(), crm);
        assertThat(pg.target().databaseExists(ignored)).as("ignored database on the target").isFalse();
        assertThat(events).filteredOn(e -> e instanceof MigrationEvent.TableCopyProgress p && p.done())
                .as("a final progress event per table").hasSize(DataCompare.tables(pg.source(), shop).size()
                        + DataCompare.tables(pg.source(), crm).size());
        assertThat(pg.target().queryValue("postgres", "SELECT to_regclass('pgrelocate.migration')"))
                .as("state removed after a completed migration").isNull();
    }

    @Test
    void copiesAwkwardlyNamedSchemasTablesAndColumns() {
        String db = pg.newDatabase("Awk\"ward Ü");
        SampleSchemas.awkwardNames(pg.source(), db);

        assertThat(migrate(List.of(db), MigrationListener.of(e -> { }))).isEqualTo(MigrationState.COMPLETED);

        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM \"Select\".\"Tab\"\"le ✓\""))
                .isEqualTo("3");
    }

    @Test
    void rowsWrittenAfterTheSnapshotDoNotReachTheTarget() {
        String db = pg.newDatabase("late");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, 'before' FROM generate_series(1, 1000) g");
        // the listener runs on the migration thread once the snapshot is taken, before any row is read
        MigrationListener writer = new MigrationListener() {
            @Override
            public void onPhaseStarted(MigrationEvent.PhaseStarted e) {
                if (e.phase() == io.pgrelocate.core.Phase.SCHEMA) {
                    pg.source().execute(db, "INSERT INTO t SELECT g, 'after' FROM generate_series(1001, 2000) g",
                            "UPDATE t SET v = 'changed' WHERE id <= 10", "DELETE FROM t WHERE id BETWEEN 11 AND 20");
                }
            }
        };

        assertThat(migrate(List.of(db), writer)).isEqualTo(MigrationState.COMPLETED);

        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM t")).isEqualTo("1000");
        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM t WHERE v = 'before'")).isEqualTo("1000");
        assertThat(pg.source().queryValue(db, "SELECT count(*) FROM t")).isEqualTo("1990");
    }

    @Test
    void aTruncateQueuedBehindTheCopysLockNeitherDeadlocksNorReachesTheTarget() throws Exception {
        String db = pg.newDatabase("ddl");
        pg.source().execute(db, "CREATE TABLE a (id int PRIMARY KEY, v text)", "CREATE TABLE b (id int PRIMARY KEY)",
                "INSERT INTO a SELECT g, 'row ' || g FROM generate_series(1, 5000) g",
                "INSERT INTO b SELECT generate_series(1, 5000)");
        Thread truncate = new Thread(() -> pg.source().execute(db, "TRUNCATE a"), "app-truncate");
        // once the tables are locked and before a worker reads a row, the application's TRUNCATE queues
        // for its exclusive lock behind the copy's lock: a worker asking for the same table must not wait on it
        MigrationListener app = new MigrationListener() {
            @Override
            public void onPhaseStarted(MigrationEvent.PhaseStarted e) {
                if (e.phase() == io.pgrelocate.core.Phase.COPYING) {
                    truncate.start();
                    await().atMost(Duration.ofSeconds(30)).until(() -> pg.source().queryValue(db,
                            "SELECT count(*) FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock' "
                                    + "AND relation = 'a'::regclass").equals("1"));
                }
            }
        };

        assertThat(migrate(List.of(db), app)).isEqualTo(MigrationState.COMPLETED);

        truncate.join(30_000);
        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM a")).isEqualTo("5000");
        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM b")).isEqualTo("5000");
        assertThat(pg.source().queryValue(db, "SELECT count(*) FROM a")).as("the TRUNCATE went through after")
                .isEqualTo("0");
    }

    private MigrationState migrate(List<String> databases, MigrationListener listener) {
        PostgresServer s = pg.source();
        PostgresServer t = pg.target();
        try (Migration m = Migration.builder().source(s.endpoint("postgres")).target(t.endpoint("postgres"))
                .mode(Mode.DUMP).databases(databases).jobs(3).migrationId(pg.migrationId()).listener(listener)
                .build()) {
            return m.start().await(Duration.ofMinutes(5));
        }
    }
}
