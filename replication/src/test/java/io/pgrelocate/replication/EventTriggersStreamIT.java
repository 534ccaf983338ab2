package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Ordinary event triggers (ddl_command_start/end, sql_drop) in a continuous migration: the apply replays the captured
 * DDL as {@code replica}, where a target trigger in state ENABLE ALWAYS or ENABLE REPLICA fires, so one that writes
 * rows would add rows next to those its source twin wrote, which the stream brings. They must stay disabled on the
 * target while it streams and end in their source states.
 */
class EventTriggersStreamIT {
    /** Each trigger by its state on the source: default (O), ENABLE ALWAYS (A), DISABLE (D), ENABLE REPLICA (R). */
    private static final List<String> STATES = List.of("log_drop_replica:R", "log_end_always:A",
            "log_end_off:D", "log_start:O");

    private static final String STATE_QUERY = "SELECT evtname || ':' || evtenabled::text FROM pg_event_trigger "
            + "WHERE evtname NOT LIKE 'pgrelocate%' ORDER BY evtname";

    private static final String LOG_QUERY = "SELECT concat_ws('|', id, event, tag, identity) FROM ddl_log ORDER BY id";

    // guards issue 13: event triggers created enabled at the end of the copy fired on the replayed DDL
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"15, 15"})
    void eventTriggersFireOnNoReplayedDdlAndEndInTheirSourceStates(int sourceMajor, int targetMajor)
            throws Exception {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        try {
            String db = pg.newDatabase("evtrig");
            createSchema(pg, db);
            try (Migration m = builder(pg, db, pg.migrationId()).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                assertThat(pg.target().queryColumn(db, STATE_QUERY)).as("disabled while streaming")
                        .containsExactly("log_drop_replica:D", "log_end_always:D", "log_end_off:D", "log_start:D");
                pg.source().execute(db, "CREATE TABLE made_mid_stream (id int PRIMARY KEY, v text)",
                        "ALTER TABLE made_mid_stream ADD COLUMN w int",
                        "INSERT INTO made_mid_stream VALUES (1, 'one', 1)",
                        "DROP TABLE dropped_mid_stream",
                        "INSERT INTO marker VALUES (1)");
                await().atMost(Duration.ofMinutes(2)).until(() -> pg.target().queryColumn(db,
                        "SELECT count(*) FROM marker").equals(List.of("1")));
                handle.cutover(Duration.ofMinutes(3));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            List<String> sourceLog = pg.source().queryColumn(db, LOG_QUERY);
            assertThat(sourceLog).as("the source's triggers logged the DDL").anyMatch(r -> r.contains(
                    "ddl_command_end|CREATE TABLE|public.made_mid_stream")).anyMatch(r -> r.contains(
                    "ddl_command_start|ALTER TABLE")).noneMatch(r -> r.contains("sql_drop"));
            assertThat(pg.target().queryColumn(db, LOG_QUERY)).as("no trigger fired on the replayed DDL")
                    .containsExactlyElementsOf(sourceLog);
            assertThat(pg.target().queryColumn(db, STATE_QUERY)).as("each trigger in its source state")
                    .containsExactlyElementsOf(pg.source().queryColumn(db, STATE_QUERY))
                    .containsExactlyElementsOf(STATES);
            VerifyResult verified = Verifier.builder().source(pg.source().endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).databases(db).compareData(true).build().verify();
            assertThat(verified.differences()).as("verify: " + verified.toText()).isEmpty();
        } finally {
            pg.afterEach(null);
        }
    }

    // guards the documented limit: DDL a source trigger runs itself is captured as part of its client statement
    // only, so the target (trigger disabled) lacks it, and the cutover refuses rather than completing; the failed
    // run leaves the trigger disabled, and a resumed run's stop gives it its source state
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"15, 15"})
    void ddlRunByASourceTriggerRefusesTheCutover(int sourceMajor, int targetMajor) throws Exception {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        try {
            String db = pg.newDatabase("evtddl");
            String id = pg.migrationId();
            pg.source().execute(db, "CREATE TABLE marker (id int PRIMARY KEY)",
                    "CREATE FUNCTION comment_new() RETURNS event_trigger LANGUAGE plpgsql AS $$ DECLARE r record; "
                            + "BEGIN FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = "
                            + "'CREATE TABLE' LOOP EXECUTE 'COMMENT ON TABLE ' || r.object_identity "
                            + "|| ' IS ''audited'''; END LOOP; END $$",
                    "CREATE EVENT TRIGGER comment_new ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
                            + "EXECUTE FUNCTION comment_new()",
                    "ALTER EVENT TRIGGER comment_new ENABLE ALWAYS");
            try (Migration m = builder(pg, db, id).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                pg.source().execute(db, "CREATE TABLE made_mid_stream (id int PRIMARY KEY)",
                        "INSERT INTO marker VALUES (1)");
                await().atMost(Duration.ofMinutes(2)).until(() -> pg.target().queryColumn(db,
                        "SELECT count(*) FROM marker").equals(List.of("1")));
                assertThat(pg.target().queryColumn(db, "SELECT obj_description('made_mid_stream'::regclass, "
                        + "'pg_class') IS NULL")).as("the trigger's own COMMENT is not replayed").containsExactly("true");
                assertThatThrownBy(() -> handle.cutover(Duration.ofMinutes(3))).isInstanceOf(PgRelocateException.class);
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
                assertThatThrownBy(() -> handle.await(Duration.ofSeconds(10))).satisfies(e -> assertThat(
                        ((PgRelocateException) e).code()).isEqualTo(ErrorCode.VERIFY_DIFFERENCES))
                        .hasMessageContaining("made_mid_stream");
            }
            assertThat(pg.target().queryColumn(db, STATE_QUERY)).as("the failed run enabled none")
                    .containsExactly("comment_new:D");
            // aligned by hand, the resumed run streams and a stop ends it with the source's states
            pg.target().execute(db, "COMMENT ON TABLE made_mid_stream IS 'audited'");
            try (Migration m = builder(pg, db, id).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                assertThat(pg.target().queryColumn(db, STATE_QUERY)).as("disabled while streaming")
                        .containsExactly("comment_new:D");
                assertThat(handle.stop(Duration.ofMinutes(1))).isEqualTo(MigrationState.STOPPED);
            }
            assertThat(pg.target().queryColumn(db, STATE_QUERY)).as("the stop gave the source's state")
                    .containsExactly("comment_new:A");
        } finally {
            pg.afterEach(null);
        }
    }

    private static MigrationBuilder builder(PgPairExtension pg, String db, String id) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).jobs(2).migrationId(id).statusInterval(Duration.ofMillis(200));
    }

    private static void createSchema(PgPairExtension pg, String db) {
        // the run's own DDL on the source (its capture, and removing it after the last streamed change) is not
        // logged there: those rows would never reach the target; the apply's sessions on the target are logged
        String skipOurs = "IF inet_server_port() = " + pg.source().port() + " AND current_setting('application_name') "
                + "LIKE 'pgrelocate/%' THEN RETURN; END IF; ";
        pg.source().execute(db, "CREATE TABLE marker (id int PRIMARY KEY)",
                "CREATE TABLE dropped_mid_stream (id int PRIMARY KEY)",
                // a key of its own on each side: a row a target trigger writes never collides with a streamed one,
                // so a divergence stays as silent as it would be in an application's audit table
                "CREATE TABLE ddl_log (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), event text NOT NULL, "
                        + "tag text NOT NULL, identity text)",
                "CREATE FUNCTION log_end() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN " + skipOurs
                        + "INSERT INTO public.ddl_log (event, tag, identity) SELECT tg_event, command_tag, "
                        + "object_identity FROM pg_event_trigger_ddl_commands(); END $$",
                "CREATE FUNCTION log_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN " + skipOurs
                        + "INSERT INTO public.ddl_log (event, tag, identity) SELECT tg_event, tg_tag, "
                        + "object_identity FROM pg_event_trigger_dropped_objects(); END $$",
                "CREATE FUNCTION log_start() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN " + skipOurs
                        + "INSERT INTO public.ddl_log (event, tag) VALUES (tg_event, tg_tag); END $$",
                "CREATE EVENT TRIGGER log_end_always ON ddl_command_end EXECUTE FUNCTION log_end()",
                "ALTER EVENT TRIGGER log_end_always ENABLE ALWAYS",
                "CREATE EVENT TRIGGER log_end_off ON ddl_command_end EXECUTE FUNCTION log_end()",
                "ALTER EVENT TRIGGER log_end_off DISABLE",
                "CREATE EVENT TRIGGER log_drop_replica ON sql_drop EXECUTE FUNCTION log_drop()",
                "ALTER EVENT TRIGGER log_drop_replica ENABLE REPLICA",
                "CREATE EVENT TRIGGER log_start ON ddl_command_start EXECUTE FUNCTION log_start()");
        assertThat(pg.source().queryColumn(db, STATE_QUERY)).containsExactlyElementsOf(STATES);
    }
}
