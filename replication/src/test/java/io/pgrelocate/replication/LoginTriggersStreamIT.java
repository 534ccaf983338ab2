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
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Login event triggers (17+) in a continuous migration: they must not fire on the run's own sessions to the target
 * while it streams (one that writes rows would add rows the source does not have), and must end in their source
 * states. The triggers' function records every login on the target's port except the test's own checks, which carry
 * a marker setting in their startup packet, so every row it writes on the target while the run goes on is a session
 * of the run (pgjdbc sets {@code application_name} only after the login, so it cannot tell them apart).
 */
class LoginTriggersStreamIT {
    /** Each trigger by its state on the source: default (O), ENABLE ALWAYS (A), DISABLE (D), ENABLE REPLICA (R). */
    private static final List<String> STATES = List.of("on_login:O", "on_login_always:A", "on_login_off:D",
            "on_login_replica:R");

    // guards issue 13: login triggers created enabled at the end of the copy fired on the apply's sessions
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"17, 17", "17, 18"})
    void loginTriggersFireOnNothingOfTheRunAndEndInTheirSourceStates(int sourceMajor, int targetMajor)
            throws Exception {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        try {
            String db = pg.newDatabase("login");
            createSchema(pg, db);
            try (Migration m = builder(pg, db, pg.migrationId()).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                assertThat(states(quiet(pg, db, STATE_QUERY))).as("disabled while streaming")
                        .containsOnly("D");
                streamSomeChanges(pg, db, 1);
                handle.cutover(Duration.ofMinutes(3));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            assertEndedAsTheSource(pg, db);
        } finally {
            pg.afterEach(null);
        }
    }

    // guards a refused cutover and its resume: a real difference of a login trigger is still caught while the
    // disabled state is not, nothing is enabled by the failed run, and the resumed run ends in the source states
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"17, 18"})
    void aResumedRunAfterARefusedCutoverEndsInTheSourceStates(int sourceMajor, int targetMajor) throws Exception {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        try {
            String db = pg.newDatabase("loginres");
            createSchema(pg, db);
            String id = pg.migrationId();
            try (Migration m = builder(pg, db, id).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                streamSomeChanges(pg, db, 1);
                quiet(pg, db, "COMMENT ON EVENT TRIGGER on_login_always IS 'changed on the target'");
                assertThatThrownBy(() -> handle.cutover(Duration.ofMinutes(3))).isInstanceOf(PgRelocateException.class);
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
                assertThatThrownBy(() -> handle.await(Duration.ofSeconds(10))).satisfies(e -> assertThat(
                        ((PgRelocateException) e).code()).isEqualTo(ErrorCode.VERIFY_DIFFERENCES))
                        .hasMessageContaining("event trigger on_login_always").hasMessageContaining("1 difference(s)");
            }
            assertThat(states(quiet(pg, db, STATE_QUERY))).as("the failed run enabled none").containsOnly("D");
            quiet(pg, db, "COMMENT ON EVENT TRIGGER on_login_always IS 'always'");
            try (Migration m = builder(pg, db, id).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                streamSomeChanges(pg, db, 2);
                handle.cutover(Duration.ofMinutes(3));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            assertEndedAsTheSource(pg, db);
        } finally {
            pg.afterEach(null);
        }
    }

    /** A setting the test's own target sessions carry from their startup packet, so the triggers skip them. */
    private static final String MARKER = "logintest.quiet";

    private static final String STATE_QUERY = "SELECT evtname || ':' || evtenabled::text FROM pg_event_trigger "
            + "WHERE evtevent = 'login' ORDER BY evtname";

    private static final String LOG_QUERY = "SELECT concat_ws('|', id, app, port) FROM login_log ORDER BY id";

    private static MigrationBuilder builder(PgPairExtension pg, String db, String id) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).jobs(2).migrationId(id).statusInterval(Duration.ofMillis(200));
    }

    private static void createSchema(PgPairExtension pg, String db) {
        pg.source().execute(db, "CREATE TABLE login_log (id bigint PRIMARY KEY, app text NOT NULL, port int, "
                        + "at timestamptz NOT NULL DEFAULT now())",
                "CREATE SEQUENCE login_log_id START 1000 OWNED BY login_log.id",
                "ALTER TABLE login_log ALTER COLUMN id SET DEFAULT nextval('login_log_id')",
                "INSERT INTO login_log (id, app, port) VALUES (1, 'before the copy', 0)",
                "CREATE FUNCTION record_login() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF inet_server_port() = " + pg.target().port() + " AND current_setting('" + MARKER
                        + "', true) IS DISTINCT FROM 'on' THEN INSERT INTO public.login_log (id, app, port) VALUES "
                        // a key of its own: a row written on the target never collides with a streamed one, so a
                        // divergence stays as silent as it would be in an application's log table
                        + "(-nextval('public.login_log_id'), current_setting('application_name'), "
                        + "inet_server_port()); END IF; END $$",
                "CREATE EVENT TRIGGER on_login ON login EXECUTE FUNCTION record_login()",
                "CREATE EVENT TRIGGER on_login_always ON login EXECUTE FUNCTION record_login()",
                "ALTER EVENT TRIGGER on_login_always ENABLE ALWAYS",
                "COMMENT ON EVENT TRIGGER on_login_always IS 'always'",
                "CREATE EVENT TRIGGER on_login_off ON login EXECUTE FUNCTION record_login()",
                "ALTER EVENT TRIGGER on_login_off DISABLE",
                "CREATE EVENT TRIGGER on_login_replica ON login EXECUTE FUNCTION record_login()",
                "ALTER EVENT TRIGGER on_login_replica ENABLE REPLICA");
        assertThat(pg.source().queryColumn(db, STATE_QUERY)).containsExactlyElementsOf(STATES);
    }

    /** Rows written on the source while the stream runs, the log table's too; waits until the target has them. */
    private static void streamSomeChanges(PgPairExtension pg, String db, int round) {
        pg.source().execute(db, "INSERT INTO login_log (id, app, port) VALUES (" + (10 * round) + ", 'streamed', 0), ("
                        + (10 * round + 1) + ", 'streamed', 0)",
                "INSERT INTO login_log (app, port) VALUES ('streamed with the sequence', 0)",
                "UPDATE login_log SET app = 'updated' WHERE id = 1");
        await().atMost(Duration.ofMinutes(2)).until(() -> quiet(pg, db, "SELECT count(*) FROM login_log "
                + "WHERE id = " + (10 * round + 1)).equals(List.of("1")));
    }

    private static void assertEndedAsTheSource(PgPairExtension pg, String db) throws Exception {
        assertThat(quiet(pg, db, LOG_QUERY)).as("no login of the run recorded on the target")
                .containsExactlyElementsOf(pg.source().queryColumn(db, LOG_QUERY));
        assertThat(quiet(pg, db, STATE_QUERY)).as("each login trigger in its source state")
                .containsExactlyElementsOf(pg.source().queryColumn(db, STATE_QUERY))
                .containsExactlyElementsOf(STATES);
        // a session without the marker: the default and ALWAYS triggers fire on it, the others do not
        String count = "SELECT count(*) FROM login_log WHERE port = " + pg.target().port();
        long before = Long.parseLong(quiet(pg, db, count).get(0));
        pg.target().queryColumn(db, "SELECT 1");
        assertThat(Long.parseLong(quiet(pg, db, count).get(0))).as("live on the target").isEqualTo(before + 2);
        // the schema, login trigger states included (the rows are compared above; verify's own logins add some)
        VerifyResult verified = Verifier.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).databases(db).compareData(false).build().verify();
        assertThat(verified.differences()).as("verify: " + verified.toText()).isEmpty();
    }

    /** Runs {@code sql} on the target in a session the triggers do not record; the first column of its rows. */
    private static List<String> quiet(PgPairExtension pg, String db, String sql) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", PostgresServer.SUPERUSER);
        p.setProperty("password", PostgresServer.PASSWORD);
        p.setProperty("options", "-c " + MARKER + "=on");
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.target().port() + "/"
                + db, p); Statement st = c.createStatement()) {
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> states(List<String> named) {
        return named.stream().map(s -> s.substring(s.indexOf(':') + 1)).toList();
    }
}
