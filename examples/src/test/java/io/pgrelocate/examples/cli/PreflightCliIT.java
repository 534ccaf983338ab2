package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.pgrelocate.examples.cli.CliIT.cli;
import static org.assertj.core.api.Assertions.assertThat;

class PreflightCliIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    private String source() {
        return pg.source().uri("postgres");
    }

    private String target() {
        return pg.target().uri("postgres");
    }

    @Test
    void preflightOfAReadyPairPrintsItsNotesAndExitsZero() {
        String db = pg.newDatabase("pfready");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)");

        CliIT.Run run = cli("preflight", "--source", source(), "--target", target(), "--database", db);

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("preflight of a continuous migration").contains("SSL_NEGOTIATED")
                .contains("ready to migrate").doesNotContain(PostgresServer.PASSWORD);
    }

    @Test
    void aBlockingFindingExitsThreeWithItsFixInJson() {
        String db = pg.newDatabase("pfkeyless");
        pg.source().execute(db, "CREATE TABLE log (line text)");

        CliIT.Run run = cli("preflight", "--source", source(), "--target", target(), "--database", db,
                "--mode", "continuous", "--json");

        System.out.println("TEMP " + cli("preflight", "--source", source(), "--target", target(), "--database", db).out());
        System.out.println("TEMP " + cli("preflight", "--source", pg.source().uri("nobody_x", "pw", "postgres"), "--target", target(), "--database", db).out());
        assertThat(run.exit()).isEqualTo(ExitCodes.PREFLIGHT);
        assertThat(run.out().strip()).startsWith("{\"ok\":false,\"errors\":1,").endsWith("]}").doesNotContain("\n")
                .contains("\"code\":\"TABLE_WITHOUT_REPLICA_IDENTITY\"")
                .contains("ALTER TABLE \\\"public\\\".\\\"log\\\" REPLICA IDENTITY FULL;")
                .doesNotContain(PostgresServer.PASSWORD);
    }

    @Test
    void migrateRefusesToStartOnAnErrorWithOneLineAndExitThree() {
        String db = pg.newDatabase("pfrefused");
        pg.source().execute(db, "CREATE TABLE log (line text)", "INSERT INTO log VALUES ('x')");

        CliIT.Run run = cli("migrate", "--source", source(), "--target", target(), "--mode", "continuous",
                "--database", db, "--id", pg.migrationId());

        assertThat(run.exit()).isEqualTo(ExitCodes.PREFLIGHT);
        assertThat(run.err().strip()).doesNotContain("\n").contains("TABLE_WITHOUT_REPLICA_IDENTITY")
                .contains("public.log").doesNotContain(PostgresServer.PASSWORD);
        CliIT.Run accepting = cli("migrate", "--source", source(), "--target", target(), "--mode", "continuous",
                "--database", db, "--id", pg.migrationId(), "--accept-warnings");
        assertThat(accepting.exit()).as("accepting warnings never accepts errors").isEqualTo(ExitCodes.PREFLIGHT);
        assertThat(pg.target().databaseExists(db)).as("nothing was created on the target").isFalse();
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"))
                .isZero();
    }

    @Test
    void migrateRefusesANonEmptyTargetDatabaseInDumpMode() {
        String db = pg.newDatabase("pfoccupied");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        pg.target().createDatabase(db);
        pg.target().execute(db, "CREATE TABLE mine (id int)", "INSERT INTO mine VALUES (42)");

        CliIT.Run run = cli("migrate", "--source", source(), "--target", target(), "--mode", "dump",
                "--database", db, "--id", pg.migrationId());

        assertThat(run.exit()).isEqualTo(ExitCodes.PREFLIGHT);
        assertThat(run.err().strip()).doesNotContain("\n").contains("TARGET_DATABASE_NOT_EMPTY");
        assertThat(pg.target().queryColumn(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
                .containsExactly("mine");
    }

    @Test
    void aWarningStopsMigrateUntilItIsAccepted() {
        String db = pg.newDatabase("pfwarned");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'one')",
                "SELECT lo_from_bytea(0, 'blob')");
        // a large object is copied at the snapshot, but later changes to it are not replicated
        String[] migrate = {"migrate", "--source", source(), "--target", target(), "--mode", "continuous",
                "--cutover", "auto", "--database", db, "--id", pg.migrationId()};

        CliIT.Run refused = cli(migrate);
        assertThat(refused.exit()).isEqualTo(ExitCodes.PREFLIGHT);
        assertThat(refused.err().strip()).doesNotContain("\n").contains("LARGE_OBJECTS").contains("--accept-warnings");
        assertThat(pg.target().databaseExists(db)).isFalse();

        String[] accepting = java.util.Arrays.copyOf(migrate, migrate.length + 1);
        accepting[migrate.length] = "--accept-warnings";
        CliIT.Run run = cli(accepting);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(pg.target().queryValue(db, "SELECT v FROM t WHERE id = 1")).isEqualTo("one");
        assertThat(pg.target().queryValue(db, "SELECT convert_from(lo_get(oid), 'UTF8') FROM pg_largeobject_metadata"))
                .isEqualTo("blob");
    }
}
