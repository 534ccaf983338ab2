package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.TestRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without DDL capture, a schema change on the source never ends in a COMPLETED migration. */
class SchemaDriftIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(15, 15);

    // guards issue 9's first report: a table created mid-stream used to be left behind by a COMPLETED cutover
    @Test
    void tableCreatedOnTheSourceMidStreamStopsTheDatabaseNamingIt() {
        String db = pg.newDatabase("drifttable");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text)", "INSERT INTO item VALUES (1, 'a')");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "CREATE TABLE newt (id int PRIMARY KEY, v text)",
                    "INSERT INTO newt SELECT g, 'n' FROM generate_series(1, 500) g", "INSERT INTO item VALUES (2, 'b')");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                    .hasMessageContaining("table public.newt is on the source but not on the target");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
    }

    // guards issue 9's second report: a dropped column on a table nobody writes to is found all the same
    @Test
    void columnDroppedOnTheSourceMidStreamStopsTheDatabaseNamingIt() {
        String db = pg.newDatabase("driftcol");
        pg.source().execute(db, "CREATE TABLE nopk (a int, b text)", "ALTER TABLE nopk REPLICA IDENTITY FULL",
                "INSERT INTO nopk VALUES (1, 'x')");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "ALTER TABLE nopk DROP COLUMN b");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                    .hasMessageContaining("column b of table public.nopk is on the target but no longer on the source");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
    }

    // guards issue 13: a column dropped and added back under its name and type left the target's old values in it
    @Test
    void columnDroppedAndAddedBackUnderItsNameMidStreamStopsTheDatabase() {
        String db = pg.newDatabase("driftreadd");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text, w int)",
                "INSERT INTO item SELECT g, 'old', g FROM generate_series(1, 10) g");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "ALTER TABLE item DROP COLUMN v", "ALTER TABLE item ADD COLUMN v text",
                    "INSERT INTO item VALUES (11, 12, 'new')", "UPDATE item SET v = 'set' WHERE id = 1");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                    .hasMessageContaining("columns of table public.item are in another order on the source");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
    }

    // guards the cutover: requested at once after the change, it still ends FAILED (drift or cutover check)
    @Test
    void cutoverRightAfterATableIsCreatedEndsFailedNeverCompleted() {
        String db = pg.newDatabase("driftcut");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY)", "INSERT INTO item VALUES (1)");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "CREATE TABLE newt (id int PRIMARY KEY)", "INSERT INTO newt VALUES (1)");
            assertThatThrownBy(() -> handle.cutover(Duration.ofMinutes(2))).isInstanceOf(PgRelocateException.class);
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            assertThatThrownBy(() -> handle.await(Duration.ofSeconds(10))).hasMessageContaining("newt");
        }
    }

    // guards the role that cannot capture (PreflightIT checks its warning): no event trigger, and a DDL stops the run
    @Test
    void aSourceRoleWithoutSuperuserGetsNoCaptureAndADdlStopsTheMigration() {
        String db = pg.newDatabase("driftrole");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION")) {
            pg.source().execute("postgres", "ALTER DATABASE " + db + " OWNER TO " + app.quoted());
            pg.source().execute(db, "SET ROLE " + app.quoted(), "CREATE TABLE item (id int PRIMARY KEY)",
                    "INSERT INTO item VALUES (1)");
            try (Migration m = Migration.builder().source(app.endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                    .migrationId(pg.migrationId()).acceptWarnings(true).statusInterval(Duration.ofMillis(200))
                    .build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_event_trigger")).isZero();
                pg.source().execute(db, "SET ROLE " + app.quoted(), "ALTER TABLE item ADD COLUMN note text");
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                        .hasMessageContaining("column note of table public.item is on the source but not on the target");
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            }
        }
    }

    // guards the last column dropped and added back under its name and type, which left the target's old values
    @Test
    void lastColumnDroppedAndAddedBackFailsTheCutoverAndItsResume() {
        ColumnReAdded.cutoverFailsAndAResumeFailsAgain(pg);
    }

    // guards the same change on a table nobody writes afterwards: the watch alone must stop the database
    @Test
    void lastColumnDroppedAndAddedBackStopsTheStreamWithoutAWrite() {
        ColumnReAdded.streamingStopsWithoutAWriteToTheTable(pg);
    }

    // guards a table dropped and created again under its name and columns, which kept the target's old rows
    @Test
    void tableDroppedAndCreatedAgainUnderItsNameStopsTheStream() {
        ColumnReAdded.tableCreatedAgainStopsTheStream(pg);
    }

    // guards against false alarms: VACUUM FULL, CLUSTER and columns dropped before the copy keep attnums
    @Test
    void rewritesThatKeepColumnNumbersDoNotStopTheRun() {
        ColumnReAdded.rewritesThatKeepAttnumsDoNotStopTheRun(pg);
    }

    private MigrationBuilder builder(String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).captureDdl(false)
                .setReplicaIdentityFull(true).statusInterval(Duration.ofMillis(200));
    }
}
