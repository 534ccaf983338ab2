package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.TestRole;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The last column of a table dropped and added back under its name and type on a source whose role cannot
 * capture DDL: name, type and order look as before, but the source's rows lost the column's values and the
 * target keeps them. Only the column's new attnum tells, against the one recorded at the copy.
 */
final class ColumnReAdded {
    static final String MESSAGE = "column c of table public.item was dropped and added back on the source";

    private ColumnReAdded() {
    }

    /** A cutover right after the change ends FAILED naming the column; a run that resumes fails the same way. */
    static void cutoverFailsAndAResumeFailsAgain(PgPairExtension pg) {
        String db = pg.newDatabase("readdlast");
        String id = pg.migrationId();
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION")) {
            create(pg, db, app);
            try (Migration m = builder(pg, db, app).migrationId(id).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                pg.source().execute(db, "SET ROLE " + app.quoted(), "ALTER TABLE item DROP COLUMN c",
                        "ALTER TABLE item ADD COLUMN c int");
                assertThatThrownBy(() -> handle.cutover(Duration.ofMinutes(2))).isInstanceOf(PgRelocateException.class)
                        .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                        .hasMessageContaining(MESSAGE);
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            }
            // the resumed run compares with what the copy recorded, not with the source as it is now
            try (Migration m = builder(pg, db, app).migrationId(id).build()) {
                MigrationHandle handle = m.start();
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                        .hasMessageContaining(MESSAGE);
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            }
            // the fix the message prints: the target's values aligned, the new number recorded; then it completes
            pg.target().execute(db, "UPDATE item SET c = NULL", "UPDATE pgrelocate.source_columns SET attnum = 4 "
                    + "WHERE table_name = 'item' AND column_name = 'c'");
            try (Migration m = builder(pg, db, app).migrationId(id).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            DataCompare.assertSameData(pg.source(), pg.target(), db);
        }
    }

    /** Seen while streaming, with no write to the table afterwards: the watch stops the database. */
    static void streamingStopsWithoutAWriteToTheTable(PgPairExtension pg) {
        String db = pg.newDatabase("readdwatch");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION")) {
            create(pg, db, app);
            try (Migration m = builder(pg, db, app).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                pg.source().execute(db, "SET ROLE " + app.quoted(), "ALTER TABLE item DROP COLUMN c",
                        "ALTER TABLE item ADD COLUMN c int");
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                        .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                        .hasMessageContaining(MESSAGE + " after the copy (attnum 3 then, 4 now)");
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            }
        }
    }

    /** A table dropped and created again under its name with the same columns: its oid tells, its columns cannot. */
    static void tableCreatedAgainStopsTheStream(PgPairExtension pg) {
        String db = pg.newDatabase("recreate");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION")) {
            create(pg, db, app);
            try (Migration m = builder(pg, db, app).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                pg.source().execute(db, "SET ROLE " + app.quoted(), "DROP TABLE item",
                        "CREATE TABLE item (id int PRIMARY KEY, v text, c int)", "INSERT INTO item VALUES (1, 'new', 0)");
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                        .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                        .hasMessageContaining("table public.item was dropped and created again (or replaced) on the "
                                + "source after the copy");
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            }
        }
    }

    /**
     * Rewrites that keep every column's attnum (VACUUM FULL, CLUSTER, a type change's rewrite done on both sides
     * is not one), and a column dropped before the copy (the target has other attnums), are no drift.
     */
    static void rewritesThatKeepAttnumsDoNotStopTheRun(PgPairExtension pg) {
        String db = pg.newDatabase("readdnot");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION")) {
            create(pg, db, app);
            pg.source().execute(db, "SET ROLE " + app.quoted(), "CREATE TABLE gap (id int PRIMARY KEY, gone int, v int)",
                    "ALTER TABLE gap DROP COLUMN gone", "INSERT INTO gap SELECT g, g FROM generate_series(1, 20) g");
            try (Migration m = builder(pg, db, app).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                pg.source().execute(db, "SET ROLE " + app.quoted(), "VACUUM FULL item", "CLUSTER item USING item_pkey",
                        "VACUUM FULL gap", "UPDATE item SET c = c + 1 WHERE id <= 3", "UPDATE gap SET v = 0 WHERE id = 1");
                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            DataCompare.assertSameData(pg.source(), pg.target(), db);
        }
    }

    private static void create(PgPairExtension pg, String db, TestRole app) {
        pg.source().execute("postgres", "ALTER DATABASE " + db + " OWNER TO " + app.quoted());
        pg.source().execute(db, "SET ROLE " + app.quoted(), "CREATE TABLE item (id int PRIMARY KEY, v text, c int)",
                "INSERT INTO item SELECT g, 'v' || g, g FROM generate_series(1, 10) g");
    }

    private static io.pgrelocate.core.MigrationBuilder builder(PgPairExtension pg, String db, TestRole app) {
        return Migration.builder().source(app.endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).acceptWarnings(true)
                .statusInterval(Duration.ofMillis(200));
    }
}
