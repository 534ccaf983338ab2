package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.pgrelocate.examples.cli.CliIT.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** Guards issue 12: passwords can stay off the command line, and a stray one is never printed back. */
class PasswordOptionsIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void readsTheTargetPasswordFromAFileWithAUriOrAKeyValueString(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("target.pw");
        Files.writeString(file, PostgresServer.PASSWORD + "\n");
        String uri = "postgresql://postgres@127.0.0.1:" + pg.target().port() + "/postgres?sslmode=disable";
        CliIT.Run run = cli("status", "--target", uri, "--target-password-file", file.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("no migration is recorded");

        String conninfo = "host=127.0.0.1 port=" + pg.target().port() + " user=postgres dbname=postgres sslmode=disable";
        run = cli("status", "--target", conninfo, "--target-password-file=" + file);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(PostgresServer.PASSWORD);
    }

    @Test
    void aMissingPasswordFileOrAStrayUriIsOneLineWithoutThePassword(@TempDir Path dir) {
        CliIT.Run run = cli("status", "--target", "postgresql://postgres@127.0.0.1:1/postgres",
                "--target-password-file", dir.resolve("nope").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err().strip()).doesNotContain("\n").contains("nope");

        run = cli("status", "postgresql://postgres:Hunter2xyz@127.0.0.1/postgres");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out() + run.err()).doesNotContain("Hunter2xyz");

        run = cli("status", "--target", "host=h password='Hunter2xyz");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out() + run.err()).doesNotContain("Hunter2xyz");
    }

    @Test
    void helpNamesTheSafeWaysToGiveAPassword() {
        CliIT.Run run = cli("--help");
        assertThat(run.out() + run.err()).contains("PGPASSWORD", "~/.pgpass", "--source-password-file", "ps");
    }
}
