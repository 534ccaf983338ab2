package io.pgrelocate.examples.cli;

import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CliIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    /** What one CLI run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String target() {
        return pg.target().uri("postgres");
    }

    @Test
    void migratesInDumpModeAndPrintsAProgressLinePerTable() {
        String db = pg.newDatabase("cli");
        pg.source().execute(db, "CREATE TABLE a (id int PRIMARY KEY)", "INSERT INTO a SELECT generate_series(1, 100)",
                "CREATE TABLE b (id int PRIMARY KEY, v text)", "INSERT INTO b VALUES (1, 'x')");

        Run run = cli("migrate", "--source", pg.source().uri("postgres"), "--target", target(), "--mode", "dump",
                "--database", db, "--id", pg.migrationId());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("copied public.a: 100 rows").contains("copied public.b: 1 rows")
                .contains("migration completed");
        assertThat(run.out() + run.err()).doesNotContain(PostgresServer.PASSWORD);
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }

    @Test
    void aMalformedUriIsAUsageErrorOnOneLineWithoutThePassword() {
        Run run = cli("migrate", "--source", "postgresql://app:hunter2@host:notaport/db", "--target", target(),
                "--mode", "dump");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("invalid port").doesNotContain("hunter2");
    }

    @Test
    void aWrongPasswordSaysSoOnOneLine() {
        Run run = cli("migrate", "--source", pg.source().uri("postgres", "wrong-secret", "postgres"), "--target",
                target(), "--mode", "dump");
        assertThat(run.exit()).isEqualTo(ExitCodes.AUTHENTICATION);
        assertThat(run.err().strip()).doesNotContain("\n").contains("cannot log in to source")
                .doesNotContain("wrong-secret").doesNotContain(PostgresServer.PASSWORD);
    }

    @Test
    void anUnreachableHostSaysWhereItLooked() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run run = cli("migrate", "--source", "postgresql://postgres:pw-x1@127.0.0.1:" + closedPort + "/postgres",
                "--target", target(), "--mode", "dump");
        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("127.0.0.1:" + closedPort)
                .doesNotContain("pw-x1");
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamed() {
        Run run = cli("migrate", "--source", pg.source().uri("postgres"), "--target", target(), "--mode", "dump",
                "--database", "no_such_db");
        assertThat(run.exit()).isEqualTo(ExitCodes.NO_SUCH_DATABASE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("'no_such_db' does not exist on source")
                .doesNotContain(PostgresServer.PASSWORD);
    }

    @Test
    void unknownOptionsAndCommandsAreUsageErrors() {
        assertThat(cli("migrate", "--bogus").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("migrate", "--source", pg.source().uri("postgres"), "--target", target(), "--mode",
                "continuous", "--fence", "sometimes").err()).contains("--fence must be read-only, strong or none");
        assertThat(cli("migrate", "--source", pg.source().uri("postgres"), "--target", target()).err())
                .contains("--mode is required");
    }

    @Test
    void statusSaysWhenNoMigrationIsRecorded() {
        Run run = cli("status", "--target", target());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("no migration is recorded").doesNotContain(PostgresServer.PASSWORD);
    }

    @Test
    void migratesContinuouslyAndCutsOverByItselfWithCutoverAuto() {
        String db = pg.newDatabase("live");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 1000) g");

        Run run = cli("migrate", "--source", pg.source().uri("postgres"), "--target", target(), "--mode", "continuous",
                "--database", db, "--cutover", "auto", "--id", pg.migrationId());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("caught up").contains("cutover completed");
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.source().queryColumn(db, "SELECT slot_name FROM pg_replication_slots "
                + "WHERE slot_name LIKE 'pgrelocate%'")).isEmpty();
    }

    @Test
    void cleanupDropsLeftoverSlotsAndPublicationsOnly() {
        String db = pg.newDatabase("left");
        String slot = Names.slot("crashed", db);
        String publication = Names.publication("crashed");
        pg.source().execute(db, "CREATE PUBLICATION " + Sql.ident(publication) + " FOR ALL TABLES",
                "CREATE PUBLICATION someone_elses FOR ALL TABLES",
                "SELECT pg_create_logical_replication_slot(" + Sql.literal(slot) + ", 'pgoutput')");

        Run run = cli("cleanup", "--source", pg.source().uri("postgres"));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("dropped slot " + slot).contains("dropped publication " + publication);
        assertThat(pg.source().queryColumn(db, "SELECT slot_name FROM pg_replication_slots WHERE slot_name = "
                + Sql.literal(slot))).isEmpty();
        assertThat(pg.source().queryColumn(db, "SELECT pubname FROM pg_publication ORDER BY 1"))
                .containsExactly("someone_elses");
        assertThat(cli("cleanup", "--source", pg.source().uri("postgres")).out()).contains("nothing to clean up");
    }
}
