package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.pgrelocate.examples.cli.CliIT.cli;
import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void exitsZeroOnAFaithfulCopyAndFourNamingEachDifference() {
        String db = pg.newDatabase("cliverify");
        pg.source().execute(db, "CREATE TABLE a (id int PRIMARY KEY, v text)", "CREATE INDEX a_v ON a (v)",
                "INSERT INTO a SELECT g, 'v' || g FROM generate_series(1, 1000) g");
        String source = pg.source().uri("postgres");
        String target = pg.target().uri("postgres");
        CliIT.Run migrate = cli("migrate", "--source", source, "--target", target, "--mode", "dump", "--database", db,
                "--id", pg.migrationId());
        assertThat(migrate.exit()).as(migrate.err()).isZero();

        CliIT.Run same = cli("verify", "--source", source, "--target", target, "--database", db);

        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("source and target match").contains("1 tables (1,000 rows)");

        pg.target().execute(db, "DROP INDEX a_v", "DELETE FROM a WHERE id = 500");
        CliIT.Run text = cli("verify", "--source", source, "--target", target, "--database", db, "--jobs", "2");
        CliIT.Run json = cli("verify", "--source", source, "--target", target, "--database", db, "--json");

        assertThat(text.exit()).as(text.err()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(text.out().lines()).as(text.out()).contains(db + ": index public.a_v: missing on target",
                db + ": table public.a: row count differs: source 1000 rows, target 999 rows");
        assertThat(json.exit()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(json.out().strip()).startsWith("{\"matches\":false").doesNotContain("\n")
                .contains("\"object\":\"public.a_v\",\"problem\":\"MISSING_ON_TARGET\"")
                .contains("\"object\":\"public.a\",\"problem\":\"ROW_COUNT_DIFFERS\"");
        for (CliIT.Run run : new CliIT.Run[] {migrate, same, text, json}) {
            assertThat(run.out() + run.err()).doesNotContain(PostgresServer.PASSWORD);
        }
    }

    @Test
    void aDatabaseMissingOnTheTargetIsADifference() {
        String db = pg.newDatabase("cliverifymissing");

        CliIT.Run run = cli("verify", "--source", pg.source().uri("postgres"), "--target", pg.target().uri("postgres"),
                "--database", db);

        assertThat(run.exit()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(run.out()).contains(db + ": database " + db + ": missing on target")
                .doesNotContain(PostgresServer.PASSWORD);
    }
}
