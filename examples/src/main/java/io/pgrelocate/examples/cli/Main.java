package io.pgrelocate.examples.cli;

import io.pgrelocate.core.PgRelocateException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pgrelocate <command> [options]}: the command line over the library. Errors are one line on
 * stderr (with the stack trace only under {@code --verbose}); see {@link ExitCodes} for exit codes.
 */
public final class Main {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("preflight", new PreflightCommand());
        COMMANDS.put("migrate", new MigrateCommand());
        COMMANDS.put("status", new StatusCommand());
        COMMANDS.put("stop", new ControlCommand(ControlCommand.Action.STOP));
        COMMANDS.put("cutover", new ControlCommand(ControlCommand.Action.CUTOVER));
        COMMANDS.put("verify", new VerifyCommand());
        COMMANDS.put("cleanup", new CleanupCommand());
        COMMANDS.put("demo", new DemoCommand());
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns its exit code; never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> argv = new ArrayList<>(List.of(args));
        boolean verbose = argv.remove("--verbose");
        configureLogging(verbose);
        Console console = new Console(out, err, verbose);
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help")) {
            usage(console);
            return argv.isEmpty() ? ExitCodes.USAGE : ExitCodes.OK;
        }
        Command command = COMMANDS.get(argv.get(0));
        if (command == null) {
            console.error("pgrelocate: unknown command '" + argv.get(0) + "'; commands: "
                    + String.join(", ", COMMANDS.keySet()));
            return ExitCodes.USAGE;
        }
        try {
            return command.run(argv.subList(1, argv.size()), console);
        } catch (UsageException e) {
            console.error("pgrelocate " + argv.get(0) + ": " + e.getMessage() + " (see 'pgrelocate help')");
            return ExitCodes.USAGE;
        } catch (PgRelocateException e) {
            console.error("pgrelocate " + argv.get(0) + ": " + e.getMessage());
            if (verbose) {
                console.error(stackTrace(e));
            }
            return ExitCodes.of(e.code());
        } catch (RuntimeException e) {
            console.error("pgrelocate " + argv.get(0) + ": unexpected failure: " + e);
            if (verbose) {
                console.error(stackTrace(e));
            }
            return ExitCodes.FAILURE;
        }
    }

    private static void configureLogging(boolean verbose) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // warnings and errors reach the user through the progress printer and the one error line this
            // class prints; the log is for --verbose
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss");
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        return sw.toString();
    }

    private static void usage(Console c) {
        c.println("""
                usage: pgrelocate <command> [options]   (add --verbose for details and stack traces)

                  preflight --source URI --target URI [--mode continuous|dump] [--database NAME]...
                            [--ignore-database NAME]... [--json] [--disable-ssl] [--allow-non-empty-target]
                            [--set-replica-identity-full] [--id NAME] [--roles needed|all|none]
                  migrate   --source URI --target URI --mode continuous|dump [--database NAME]...
                            [--ignore-database NAME]... [--jobs N] [--cutover manual|auto]
                            [--max-duration 14d] [--disable-ssl] [--json-progress] [--accept-warnings]
                            [--allow-non-empty-target] [--set-replica-identity-full] [--id NAME] [--keep-state]
                            [--fence read-only|strong|none] [--cutover-timeout 10m] [--stall-timeout 60s]
                            [--recopy-invalidated] [--cutover-verify] [--no-ddl-capture]
                            [--roles needed|all|none]
                  status    --target URI [--json] [--id NAME]
                  cutover   --target URI [--wait] [--verify] [--id NAME]
                  stop      --target URI [--wait] [--id NAME]
                  verify    --source URI --target URI [--database NAME]... [--ignore-database NAME]... [--json]
                            [--jobs N] [--disable-ssl] [--state-schema NAME]
                  cleanup   --source URI   (lifts fences, drops slots and publications pgrelocate left)
                  demo      [--mode continuous|dump]   (embedded source and target servers, no set-up)

                URI: postgresql://user@host[:port]/dbname[?sslmode=...], 'host=... user=... dbname=...'
                     (libpq key=value) or jdbc:postgresql://...
                password: keep it out of the URI, where every local user sees it in ps for the whole run;
                     use PGPASSWORD, ~/.pgpass (PGPASSFILE), or --source-password-file FILE /
                     --target-password-file FILE (the file's first line) with any command taking the URI
                exit codes: 0 ok, 1 failure, 2 usage, 3 preflight blocked, 4 verify differences, 5 stopped,
                            6 server unreachable, 7 authentication failed, 8 database not found""");
    }
}
