package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pgrelocate.examples.cli.CliIT.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** The connections a run opens, checked before it starts and bounded while it runs; a state schema in the way. */
class CliResourcesIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards issue 11: nothing compared the connections a run opens with what the source accepts
    @Test
    void preflightSaysWhenTheSourceCannotTakeTheConnectionsAndTheJobsItPrintsFit() throws Exception {
        try (PostgresServer small = PostgresServer.builder().major(17).setting("max_connections", "20").start()) {
            small.createDatabase("app");
            small.execute("app", "CREATE TABLE t (id int PRIMARY KEY)");
            String[] preflight = {"preflight", "--source", small.uri("postgres"), "--target", pg.target().uri("postgres"),
                    "--mode", "dump", "--database", "app", "--jobs", "24"};

            CliIT.Run tooMany = cli(preflight);

            assertThat(tooMany.exit()).as(tooMany.out()).isEqualTo(ExitCodes.PREFLIGHT);
            assertThat(tooMany.out()).contains("CONNECTIONS_TOO_FEW").contains("source max_connections");
            Matcher fix = Pattern.compile("--jobs (\\d+)").matcher(tooMany.out());
            assertThat(fix.find()).as(tooMany.out()).isTrue();
            preflight[preflight.length - 1] = fix.group(1);
            assertThat(cli(preflight).out()).as("with the printed --jobs").doesNotContain("CONNECTIONS_TOO_FEW");

            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    held.add(small.connect("postgres"));
                }
                CliIT.Run busy = cli(preflight);
                assertThat(busy.out()).as("connections in use leave too few free").contains("CONNECTIONS_TOO_FEW")
                        .contains("in use");
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    // guards issue 11: databases x (jobs + 3) source connections; jobs is now the budget of the whole run
    @Test
    void copyConnectionsOfAllDatabasesTogetherStayWithinJobs() {
        List<String> dbs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String db = pg.newDatabase("budget");
            for (int t = 0; t < 4; t++) {
                pg.source().execute(db, "CREATE TABLE t" + t + " (id int PRIMARY KEY, v text)",
                        "INSERT INTO t" + t + " SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 60000) g");
            }
            dbs.add(db);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong most = new AtomicLong();
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                most.accumulateAndGet(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_stat_activity "
                        + "WHERE application_name = 'pgrelocate/copy'"), Math::max);
            }
        });
        List<String> argv = new ArrayList<>(List.of("migrate", "--source", pg.source().uri("postgres"), "--target",
                pg.target().uri("postgres"), "--mode", "continuous", "--cutover", "auto", "--jobs", "2", "--id",
                pg.migrationId()));
        dbs.forEach(db -> argv.addAll(List.of("--database", db)));

        CliIT.Run run = cli(argv.toArray(String[]::new));
        running.set(false);
        sampler.join();

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(most.get()).as("copy connections open at once on the source").isBetween(1L, 2L);
        dbs.forEach(db -> DataCompare.assertSameData(pg.source(), pg.target(), db));
    }

    // guards issue 11: a state schema another role owns aborted preflight and status with a bare "permission denied"
    @Test
    void aStateSchemaOfAnotherRoleIsAFindingWithItsFixAndStatusNamesTheOwner() {
        String db = pg.newDatabase("foreign");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        String schema = "st_" + pg.migrationId();
        String owner = pg.uniqueName("owner_role");
        String me = pg.uniqueName("me_role");
        pg.target().execute("postgres", "CREATE ROLE " + owner, "CREATE ROLE " + me + " LOGIN PASSWORD 'pw-me' CREATEDB",
                "CREATE SCHEMA " + schema + " AUTHORIZATION " + owner,
                "CREATE TABLE " + schema + ".migration (id text)", "ALTER TABLE " + schema + ".migration OWNER TO "
                        + owner);
        try {
            String target = pg.target().uri(me, "pw-me", "postgres");
            CliIT.Run status = cli("status", "--target", target, "--state-schema", schema);
            assertThat(status.exit()).isEqualTo(ExitCodes.FAILURE);
            assertThat(status.err().strip()).doesNotContain("\n").contains("belongs to role " + owner)
                    .contains("GRANT \"" + owner + "\" TO \"" + me + "\"").doesNotContain("pw-me");

            String[] preflight = {"preflight", "--source", pg.source().uri("postgres"), "--target", target,
                    "--mode", "dump", "--database", db, "--state-schema", schema};
            CliIT.Run refused = cli(preflight);
            assertThat(refused.exit()).isEqualTo(ExitCodes.PREFLIGHT);
            assertThat(refused.out()).contains("STATE_SCHEMA_NOT_USABLE").contains("GRANT \"" + owner + "\" TO \"" + me + "\";")
                    .doesNotContain("permission denied");

            pg.target().execute("postgres", "GRANT " + owner + " TO " + me);
            assertThat(cli(preflight).out()).as("after the printed GRANT").doesNotContain("STATE_SCHEMA_NOT_USABLE");
            assertThat(cli("status", "--target", target, "--state-schema", schema).exit()).isZero();
        } finally {
            pg.target().execute("postgres", "DROP SCHEMA " + schema + " CASCADE", "DROP ROLE " + me,
                    "DROP ROLE " + owner);
        }
    }
}
