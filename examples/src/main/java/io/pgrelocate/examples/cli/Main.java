package io.pgrelocate.examples.cli;

import io.pgrelocate.core.PgRelocateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pgrelocate <command> [options]}: the command line over the library, parsed by picocli. Errors are
 * one line on stderr (with the stack trace only under {@code --verbose}); see {@link ExitCodes}.
 */
@Command(name = "pgrelocate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Moves PostgreSQL databases to another server: continuously through logical replication "
                + "until a cutover, or as a point-in-time copy.",
        footerHeading = "%n",
        footer = {"Every command takes -h/--help; add --verbose anywhere for stack traces.",
                "URI: postgresql://user@host[:port]/dbname[?sslmode=...], libpq",
                "     'host=... user=... dbname=...', or jdbc:postgresql://... An omitted",
                "     --source/--target is read from PGHOST, PGPORT, PGUSER and PGDATABASE.",
                "Password: keep it out of the URI, which every local user sees in ps for",
                "     the whole run: use PGPASSWORD, ~/.pgpass (PGPASSFILE), or",
                "     --source-password-file / --target-password-file FILE.",
                "Exit codes: 0 ok, 1 failure, 2 usage, 3 preflight blocked,",
                "            4 verify differences, 5 stopped, 6 server unreachable,",
                "            7 authentication failed, 8 database not found."})
public final class Main implements Callable<Integer> {
    /**
     * The commands, in the order the overview lists them. Not in {@code @Command(subcommands)}: picocli would build
     * every command's model by reflection at start, most of the CLI's start-up time, for the one command run.
     */
    static final List<Class<?>> COMMANDS = List.of(PreflightCommand.class, MigrateCommand.class, StatusCommand.class,
            ControlCommand.Stop.class, ControlCommand.Cutover.class, VerifyCommand.class, CleanupCommand.class,
            DemoCommand.class, CommandLine.HelpCommand.class);

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns its exit code; never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, reading PG* variables from {@code env}. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> argv = new ArrayList<>(List.of(args));
        boolean verbose = argv.remove("--verbose");
        configureLogging(verbose);
        Console console = new Console(out, err, verbose);
        CommandLine cli = new CommandLine(new Main(), new Factory(new CliContext(console, env)));
        for (Class<?> command : commandsFor(argv)) {
            cli.addSubcommand(command); // before the settings below, which reach only the commands already added
        }
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler((e, a) -> usageError(console, e, a))
                .setExecutionExceptionHandler((e, c, p) -> failure(console, c, e, verbose));
        return cli.execute(argv.toArray(String[]::new));
    }

    /**
     * The commands whose model a command line needs: only the one it names when it starts with a command's name
     * (the parse, the help and the errors of {@code pgrelocate migrate ...} never look at the others); all of
     * them otherwise ({@code --help}, {@code help COMMAND}, no command, an unknown one), so the overview and the
     * "unknown command" message list every command.
     */
    static List<Class<?>> commandsFor(List<String> argv) {
        if (argv.isEmpty() || argv.get(0).equals("help")) {
            return COMMANDS;
        }
        return COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(argv.get(0)))
                .findFirst().<List<Class<?>>>map(List::of).orElse(COMMANDS);
    }

    /** {@code pgrelocate} alone: the overview, and a usage error (a script that forgot its command fails). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    private static int usageError(Console console, CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        String name = c.getCommandSpec().qualifiedName(" ");
        String message = e.getMessage();
        if (c.getParent() == null && e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'; commands: "
                    + String.join(", ", c.getSubcommands().keySet());
        } else if (e instanceof CommandLine.UnmatchedArgumentException u) {
            // option names are shown; a value is not: a URI given without its option may hold a password
            List<String> options = u.getUnmatched().stream().filter(x -> x.startsWith("-"))
                    .map(x -> x.contains("=") ? x.substring(0, x.indexOf('=')) : x).toList();
            message = options.isEmpty() ? "unexpected argument (values follow their option, such as --source URI)"
                    : "unknown option(s) " + String.join(", ", options);
        }
        message = withoutArgumentValues(message, args);
        console.error(name + ": " + message + " (see '" + name + " --help')");
        return ExitCodes.USAGE;
    }

    /** Every argument that could carry a secret (a URI, a conninfo string) named by position instead. */
    private static String withoutArgumentValues(String message, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.length() > 3 && (a.contains("@") || a.contains("=") || a.contains("//")) && message.contains(a)) {
                message = message.replace(a, "<argument " + (i + 1) + ">");
            }
        }
        return message;
    }

    private static int failure(Console console, CommandLine c, Exception e, boolean verbose) {
        String name = c.getCommandSpec().qualifiedName(" ");
        if (e instanceof UsageException) {
            console.error(name + ": " + e.getMessage() + " (see '" + name + " --help')");
            return ExitCodes.USAGE;
        }
        if (e instanceof PgRelocateException p) {
            console.error(name + ": " + p.getMessage());
            printTrace(console, e, verbose);
            return ExitCodes.of(p.code());
        }
        console.error(name + ": unexpected failure: " + e);
        printTrace(console, e, verbose);
        return ExitCodes.FAILURE;
    }

    private static void printTrace(Console console, Exception e, boolean verbose) {
        if (verbose) {
            java.io.StringWriter sw = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(sw));
            console.error(sw.toString());
        }
    }

    private static void configureLogging(boolean verbose) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // warnings and errors reach the user through the progress printer and the one error line this
            // class prints; the log is for --verbose
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (!"off".equals(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"))) {
            // only when a line can be logged: the date format alone loads the JDK's locale data at start
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss");
        }
    }

    /** Creates the commands with the context they share. */
    private record Factory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                var constructor = cls.getDeclaredConstructor(CliContext.class);
                return constructor.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
