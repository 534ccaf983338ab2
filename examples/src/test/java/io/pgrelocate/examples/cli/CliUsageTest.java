package io.pgrelocate.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line itself, without servers: help, version, options, environment, exit codes. */
class CliUsageTest {
    static CliIT.Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new CliIT.Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static CliIT.Run cli(String... args) {
        return cli(Map.of(), args);
    }

    // guards issue 14: 'migrate --help' exited 2 ("unknown option --help")
    @ParameterizedTest
    @ValueSource(strings = {"preflight", "migrate", "status", "stop", "cutover", "verify", "cleanup", "demo"})
    void everyCommandHasItsOwnHelpUnderBothNames(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            CliIT.Run run = cli(command, flag);
            assertThat(run.exit()).as(command + " " + flag).isZero();
            assertThat(run.out()).startsWith("Usage: pgrelocate " + command).contains("-h, --help");
        }
        assertThat(cli("help", command).out()).startsWith("Usage: pgrelocate " + command);
    }

    @Test
    void theProgramHasHelpAndAVersion() {
        CliIT.Run help = cli("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("migrate").contains("cutover").contains("Exit codes: 0 ok");
        CliIT.Run version = cli("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("pgrelocate ").contains("pgjdbc ").contains("Java ");
        assertThat(cli("migrate", "-V").exit()).isZero();
    }

    @Test
    void noCommandUnknownCommandsAndOptionsAreUsageErrorsOnOneLine() {
        CliIT.Run none = cli();
        assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("Usage: pgrelocate");
        CliIT.Run unknown = cli("frobnicate");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("unknown command 'frobnicate'");
        CliIT.Run option = cli("migrate", "--bogus");
        assertThat(option.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.err().strip()).doesNotContain("\n").contains("--bogus").contains("pgrelocate migrate --help");
        assertThat(cli("migrate", "--jobs", "many").exit()).isEqualTo(ExitCodes.USAGE);
    }

    // guards issue 14: there was no -j; the value must reach the builder's validation
    @Test
    void jIsJobs() {
        CliIT.Run run = cli("migrate", "--source", "postgresql://a@src-host/db", "--target", "postgresql://b@tgt-host/db",
                "--mode", "dump", "-j", "0");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("jobs is 0");
    }

    @Test
    void aMissingModeOrEndpointIsAUsageError() {
        assertThat(cli("migrate", "--source", "postgresql://a@s/db", "--target", "postgresql://b@t/db").err())
                .contains("--mode is required");
        assertThat(cli("status").err()).contains("option --target is required").contains("PGHOST");
    }

    // guards issue 14: PGHOST, PGPORT, PGUSER and PGDATABASE are honoured as psql honours them
    @Test
    void anOmittedTargetIsReadFromTheEnvironmentLikePsql() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliIT.Run run = cli(Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(closed), "PGUSER", "alice",
                "PGDATABASE", "app", "PGPASSWORD", "pw-env"), "status");
        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("alice@127.0.0.1:" + closed + "/app")
                .doesNotContain("pw-env");
    }

    // guards the start-up time: a command line naming a command builds only that command's model, and every
    // other one (overview, help COMMAND, an unknown name) still sees all of them
    @Test
    void aCommandLineBuildsOnlyTheCommandItNames() {
        assertThat(Main.commandsFor(List.of("migrate", "--source", "x", "--mode", "dump")))
                .containsExactly(MigrateCommand.class);
        assertThat(Main.commandsFor(List.of("stop", "--wait"))).containsExactly(ControlCommand.Stop.class);
        for (List<String> argv : List.of(List.<String>of(), List.of("--help"), List.of("help", "migrate"),
                List.of("frobnicate"), List.of("--version"))) {
            assertThat(Main.commandsFor(argv)).as(argv.toString()).isEqualTo(Main.COMMANDS);
        }
        assertThat(cli("--help").out()).contains("preflight").contains("cleanup").contains("demo");
    }
}
