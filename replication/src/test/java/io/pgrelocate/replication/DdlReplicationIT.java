package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schema changes on the source mid-stream, under load, are replayed on the target in commit order. */
class DdlReplicationIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards issue 9: every DDL kind the issue lists ends identical on the target, rows neither lost nor doubled
    @Test
    void schemaChangesUnderLoadAreReplayedAndTheTargetEndsIdentical() {
        DdlScenario.run(pg);
    }

    // guards "never applied twice": a DO block's DDL comes with rows the stream also carries, so it stops loudly
    @Test
    void ddlInsideADoBlockStopsTheDatabaseNamingStatementAndLsn() {
        String db = pg.newDatabase("ddldo");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY)", "INSERT INTO item VALUES (1)");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "INSERT INTO item VALUES (2)",
                    "DO $$ BEGIN CREATE TABLE made (id int PRIMARY KEY); INSERT INTO made VALUES (1); END $$",
                    "INSERT INTO item VALUES (3)");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                    .hasMessageContaining("DO $$ BEGIN CREATE TABLE made").hasMessageContaining("source LSN")
                    .hasMessageContaining("not plain DDL");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM item")).as("before it applied, after it not")
                .isEqualTo(2);
        assertThat(pg.target().queryValue(db, "SELECT to_regclass('public.made')")).isNull();
    }

    // guards the other stop: a statement the target rejects (its role is missing there) names itself and the fix
    @Test
    void statementTheTargetRejectsStopsTheDatabaseBeforeWhatFollows() {
        String db = pg.newDatabase("ddlrej");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY)", "INSERT INTO item VALUES (1)");
        String role = pg.uniqueName("only_on_source");
        pg.source().execute("postgres", "CREATE ROLE " + role);
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "GRANT SELECT ON item TO " + role, "INSERT INTO item VALUES (2)");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                    .hasMessageContaining("GRANT SELECT ON item TO " + role).hasMessageContaining("target rejected it");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        } finally {
            pg.source().execute(db, "SET default_transaction_read_only = off", "DROP OWNED BY " + role);
            pg.source().execute("postgres", "DROP ROLE " + role);
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM item")).isEqualTo(1);
    }

    // guards the recorder's role handling: DDL by an application role is replayed as that role, so owners match
    @Test
    void ddlByAnApplicationRoleIsReplayedAsThatRole() {
        String db = pg.newDatabase("ddlrole");
        String role = pg.uniqueName("app");
        pg.source().execute("postgres", "CREATE ROLE " + role);
        pg.target().execute("postgres", "CREATE ROLE " + role);
        pg.source().execute(db, "GRANT CREATE ON SCHEMA public TO " + role, "CREATE TABLE base (id int PRIMARY KEY)");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "SET ROLE " + role, "CREATE TABLE mine (id int PRIMARY KEY, v text)",
                    "INSERT INTO mine VALUES (1, 'a')", "RESET ROLE");
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> pg.target()
                    .queryValue(db, "SELECT to_regclass('public.mine')") != null
                    && pg.target().queryLong(db, "SELECT count(*) FROM mine") == 1);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            assertThat(pg.target().queryValue(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'mine'"))
                    .isEqualTo(role);
        } finally {
            pg.source().execute(db, "SET default_transaction_read_only = off", "DROP OWNED BY " + role);
            pg.target().execute(db, "DROP OWNED BY " + role);
            pg.source().execute("postgres", "DROP ROLE " + role);
            pg.target().execute("postgres", "DROP ROLE " + role);
        }
    }

    // guards issue 10: a statement over 1 MB in a message over 8 MB was spilled to a file and ended the run FAILED
    @Test
    void statementsOfSeveralMegabytesAreReplayedAndTheStreamGoesOn() {
        String db = pg.newDatabase("ddlbig");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text)", "INSERT INTO item VALUES (1, 'a')");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < 9_000; i++) {
                in.append(i == 0 ? "" : ", ").append('\'').append(i).append(letters(1_000, i)).append('\'');
            }
            pg.source().execute(db, "COMMENT ON TABLE item IS '" + letters(10 << 20, 7) + "'",
                    "INSERT INTO item VALUES (2, 'b')",
                    "CREATE VIEW chosen AS SELECT id FROM item WHERE v IN (" + in + ")",
                    "INSERT INTO item VALUES (3, 'c')");
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2))
                    .until(() -> pg.target().queryLong(db, "SELECT count(*) FROM item") == 3);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        String comment = "SELECT md5(obj_description('item'::regclass, 'pg_class'))";
        assertThat(pg.target().queryValue(db, comment)).as("the 10 MB comment").isNotNull()
                .isEqualTo(pg.source().queryValue(db, comment));
        String view = "SELECT md5(pg_get_viewdef('chosen'::regclass))";
        assertThat(pg.target().queryValue(db, view)).as("the view of a 9 MB IN list").isNotNull()
                .isEqualTo(pg.source().queryValue(db, view));
    }

    /** {@code n} letters, varied so that nothing on the way can shortcut a run of one character. */
    private static String letters(int n, int seed) {
        StringBuilder b = new StringBuilder(n);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    private MigrationBuilder builder(String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId())
                .statusInterval(Duration.ofMillis(200));
    }
}
