package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.pgrelocate.examples.cli.CliIT.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a run's end reads from other processes (status, cutover --wait), and the exit codes of the ways a run
 * ends: a cutover, a failure, SIGTERM, kill -9. Each test keeps its state in a schema of its own.
 */
class CliOutcomeIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    private static String[] args(String... a) {
        return a;
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private String live(String table) {
        String db = pg.newDatabase("out");
        pg.source().execute(db, "CREATE TABLE " + table + " (id int PRIMARY KEY, v text)",
                "INSERT INTO " + table + " SELECT g, 'v' || g FROM generate_series(1, 500) g");
        return db;
    }

    private static boolean streaming(String target, String schema, String id) {
        CliIT.Run s = cli("status", "--target", target, "--state-schema", schema, "--id", id);
        return s.out().contains("STREAMING") && !s.out().contains("PENDING") && !s.out().contains("COPYING");
    }

    // guards issue 11: cutover --wait raced the run dropping its state tables and exited 1 after a good cutover
    @Test
    void cutoverWaitWithoutAnIdReportsTheCompletedRunAndStatusStillShowsItsOutcome() {
        String db = live("t");
        String id = pg.migrationId();
        String schema = "st_" + id;
        String target = pg.target().uri("postgres");
        CompletableFuture<CliIT.Run> run = CompletableFuture.supplyAsync(() -> cli("migrate", "--source",
                pg.source().uri("postgres"), "--target", target, "--mode", "continuous", "--database", db, "--id", id,
                "--state-schema", schema));
        await().atMost(Duration.ofMinutes(2)).until(() -> streaming(target, schema, id));
        // the trend needs two lag readings in the state, a second apart, from the running process
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(cli("status", "--target", target, "--state-schema", schema).out())
                        .as("status compares two readings").containsPattern("lag (steady|falling|rising)")
                        .contains("running (heartbeat"));

        CliIT.Run cutover = cli("cutover", "--target", target, "--state-schema", schema, "--wait");

        assertThat(cutover.exit()).as(cutover.out() + cutover.err()).isZero();
        assertThat(cutover.out()).contains("cutover requested for migration " + id)
                .contains("migration " + id + " ended COMPLETED");
        assertThat(run.join().exit()).as(run.join().err()).isZero();
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        CliIT.Run status = cli("status", "--target", target, "--state-schema", schema);
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("migration " + id + ": CONTINUOUS COMPLETED");
        assertThat(pg.target().queryValue("postgres", "SELECT to_regclass('" + schema + ".migration')"))
                .as("the state rows are gone; only the outcome stays").isNull();
        CliIT.Run again = cli("cutover", "--target", target, "--state-schema", schema);
        assertThat(again.exit()).as("no unfinished migration left").isEqualTo(ExitCodes.FAILURE);
    }

    // guards issue 11: a runtime failure is one stderr line, and status --json exited 0 for a FAILED migration
    @Test
    void aFailedRunPrintsOneErrorLineAndStatusJsonExitsOne() {
        String db = live("t");
        String id = pg.migrationId();
        String schema = "st_" + id;
        String target = pg.target().uri("postgres");
        CompletableFuture<CliIT.Run> run = CompletableFuture.supplyAsync(() -> cli("migrate", "--source",
                pg.source().uri("postgres"), "--target", target, "--mode", "continuous", "--database", db, "--id", id,
                "--state-schema", schema));
        await().atMost(Duration.ofMinutes(2)).until(() -> streaming(target, schema, id));
        pg.target().execute(db, "DROP TABLE t");
        pg.source().execute(db, "INSERT INTO t VALUES (1000, 'lost')");

        CliIT.Run failed = run.join();

        assertThat(failed.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(failed.err().strip()).as(failed.err()).doesNotContain("\n").isNotEmpty()
                .doesNotContain(PostgresServer.PASSWORD);
        CliIT.Run json = cli("status", "--target", target, "--state-schema", schema, "--json");
        assertThat(json.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(json.out()).contains("\"state\":\"FAILED\"").contains("\"migrationId\":\"" + id + "\"");
        CliIT.Run text = cli("status", "--target", target, "--state-schema", schema);
        assertThat(text.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(text.out()).contains("migration " + id + ": CONTINUOUS FAILED")
                .containsPattern(db + " +FAILED +.*, error: .+").doesNotContain("running (heartbeat");
        // leave the source as found: the failed run keeps its slot for a resume
        assertThat(cli("cleanup", "--source", pg.source().uri("postgres")).exit()).isZero();
    }

    // guards issue 11: SIGTERM stopped the run cleanly but the JVM exited 143 instead of 5 (stopped)
    @Test
    void sigtermStopsTheRunAndExitsFive() throws Exception {
        String db = live("t");
        String id = pg.migrationId();
        String schema = "st_" + id;
        Process child = child(id, "sigterm", "migrate", "--source", noPassword(pg.source()), "--target",
                noPassword(pg.target()), "--mode", "continuous", "--database", db, "--id", id, "--state-schema",
                schema);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> streaming(pg.target().uri("postgres"), schema, id));
            child.destroy();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("stopped within a minute").isTrue();
            assertThat(child.exitValue()).isEqualTo(ExitCodes.STOPPED);
        } finally {
            child.destroyForcibly();
        }
        CliIT.Run status = cli("status", "--target", pg.target().uri("postgres"), "--state-schema", schema);
        assertThat(status.out()).contains("migration " + id + ": CONTINUOUS STOPPED");
        assertThat(status.exit()).isEqualTo(ExitCodes.STOPPED);
        assertThat(cli("cleanup", "--source", pg.source().uri("postgres")).exit()).isZero();
    }

    // guards issue 11: a killed process read as "running" for 30 s; now the first missed heartbeat shows
    @Test
    void aKilledRunReadsAsInterruptedWithinSecondsAndResumes() throws Exception {
        String db = live("t");
        String id = pg.migrationId();
        String schema = "st_" + id;
        String target = pg.target().uri("postgres");
        String[] migrate = args("migrate", "--source", noPassword(pg.source()), "--target", noPassword(pg.target()),
                "--mode", "continuous", "--database", db, "--id", id, "--state-schema", schema);
        Process child = child(id, "killed", migrate);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> streaming(target, schema, id));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(cli("status", "--target", target, "--state-schema", schema).out())
                        .contains("CONTINUOUS INTERRUPTED").contains("no process is running it, no heartbeat for"));

        Process resumed = child(id, "resumed", with(migrate, "--cutover", "auto"));
        try {
            assertThat(resumed.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(resumed.exitValue()).isZero();
        } finally {
            resumed.destroyForcibly();
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }

    // guards issue 11: a huge --max-duration failed with a raw DateTimeException after creating the state schema
    @Test
    void anImpossibleMaxDurationIsAUsageErrorThatTouchesNothing() {
        String db = live("t");
        String schema = "st_" + pg.migrationId();
        for (String duration : List.of("99999999999999d", "4000d")) {
            CliIT.Run run = cli("migrate", "--source", pg.source().uri("postgres"), "--target",
                    pg.target().uri("postgres"), "--mode", "dump", "--database", db, "--state-schema", schema,
                    "--max-duration", duration);
            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err().strip()).doesNotContain("\n").contains("3650");
        }
        assertThat(pg.target().queryValue("postgres", "SELECT to_regnamespace('" + schema + "')")).isNull();
        assertThat(pg.target().databaseExists(db)).isFalse();
    }

    // guards issue 11: a missing password was reported as an unreachable server (6) instead of a login (7)
    @Test
    void aMissingPasswordIsAnAuthenticationFailure() {
        CliIT.Run run = cli("status", "--target", noPassword(pg.target()));
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.AUTHENTICATION);
        assertThat(run.err().strip()).doesNotContain("\n").contains("cannot log in to target")
                .contains("none was given");
    }

    private static String noPassword(PostgresServer server) {
        return "postgresql://" + PostgresServer.SUPERUSER + "@" + server.host() + ":" + server.port()
                + "/postgres?sslmode=disable";
    }

    /** The CLI in a JVM of its own (so signals reach it), the password in PGPASSWORD, output in a log. */
    private static Process child(String id, String name, String... cli) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(cli));
        Path log = Path.of("target", "child-logs", id + "-" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PGPASSWORD", PostgresServer.PASSWORD);
        return pb.start();
    }
}
