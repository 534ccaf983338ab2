package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PostgresServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code pgrelocate demo}: starts an embedded source (PostgreSQL 16) and target (17), loads sample
 * databases and migrates all but one of them. Continuous (the default): an application keeps writing to
 * the source through the copy and the stream, then stops for the cutover, and the target must hold the same
 * rows. {@code --mode dump}: a point-in-time copy of the quiet source.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start an embedded source (PostgreSQL 16) and target (17), load sample databases and "
                + "migrate them while an application writes; no set-up needed.")
final class DemoCommand implements Callable<Integer> {
    private static final int SOURCE_MAJOR = 16;
    private static final int TARGET_MAJOR = 17;
    /** Transactions the demo's application commits after the stream has caught up, before the cutover. */
    private static final long STREAMED_TRANSACTIONS = 2_000;

    private final CliContext ctx;

    @Option(names = "--mode", paramLabel = "MODE", description = "continuous (default) or dump.")
    String modeName;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Parallel copy workers; default: the "
            + "number of cores, at least 2.")
    Integer jobs;

    DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Console console = ctx.console();
        Mode mode = Options.mode(modeName, Mode.CONTINUOUS);
        console.println("starting embedded PostgreSQL " + SOURCE_MAJOR + " (source) and " + TARGET_MAJOR + " (target)");
        try (PostgresServer source = PostgresServer.builder().major(SOURCE_MAJOR).start();
             PostgresServer target = PostgresServer.builder().major(TARGET_MAJOR).start()) {
            console.secret(PostgresServer.PASSWORD);
            console.println("loading sample databases shop, analytics and scratch on " + source);
            SampleData.load(source);
            console.println("migrating every database except scratch to " + target + " ("
                    + mode.name().toLowerCase(Locale.ROOT) + ")");
            try (Migration migration = Migration.builder()
                    .source(source.endpoint("postgres"))
                    .target(target.endpoint("postgres"))
                    .mode(mode)
                    .ignoreDatabases(SampleData.SCRATCH)
                    .jobs(jobs != null ? jobs : Math.max(2, Runtime.getRuntime().availableProcessors()))
                    .listener(new ProgressPrinter(console, false))
                    .build()) {
                long start = System.nanoTime();
                MigrationState end = mode == Mode.DUMP
                        ? migration.start().await(Duration.ofMinutes(30))
                        : continuous(migration, source, console);
                console.println(String.format(Locale.ROOT, "migration %s in %.1f s",
                        end.name().toLowerCase(Locale.ROOT), (System.nanoTime() - start) / 1e9));
                if (end != MigrationState.COMPLETED) {
                    return ExitCodes.FAILURE;
                }
            }
            return compare(console, source, target);
        }
    }

    /** Copies and streams while the application writes, then stops the writes and cuts over. */
    private static MigrationState continuous(Migration migration, PostgresServer source, Console console) {
        try (DemoWorkload app = DemoWorkload.start(source)) {
            console.println("the application keeps writing to shop and analytics during the whole migration");
            MigrationHandle handle = migration.start();
            if (!handle.awaitCaughtUp(Duration.ofMinutes(30))) {
                return handle.state();
            }
            long caughtUpAt = app.committed();
            console.println(String.format(Locale.ROOT, "caught up; %,d transactions written so far, "
                    + "streaming %,d more", caughtUpAt, STREAMED_TRANSACTIONS));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (app.committed() < caughtUpAt + STREAMED_TRANSACTIONS && System.nanoTime() < deadline
                    && !handle.state().isTerminal()) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            app.close();
            console.println(String.format(Locale.ROOT, "application stopped after %,d transactions; cutting over",
                    app.committed()));
            handle.cutover(Duration.ofMinutes(5));
            return handle.state();
        }
    }

    private static int compare(Console console, PostgresServer source, PostgresServer target) {
        boolean same = true;
        for (String db : List.of(SampleData.SHOP, SampleData.ANALYTICS)) {
            Map<String, DataCompare.Fingerprint> expected = DataCompare.tables(source, db);
            Map<String, DataCompare.Fingerprint> actual = DataCompare.tables(target, db);
            boolean tablesSame = expected.equals(actual);
            boolean sequencesSame = DataCompare.sequences(source, db).equals(DataCompare.sequences(target, db));
            long rows = actual.values().stream().mapToLong(DataCompare.Fingerprint::rows).sum();
            console.println(String.format(Locale.ROOT, "%-10s %d table(s), %,d rows on the target: %s", db,
                    actual.size(), rows, tablesSame && sequencesSame ? "identical to the source (row checksums "
                            + "and sequences)" : "DIFFERENT from the source"));
            same &= tablesSame && sequencesSame;
        }
        boolean scratchLeft = !target.databaseExists(SampleData.SCRATCH);
        console.println("scratch    " + (scratchLeft ? "ignored, as asked: not on the target" : "WRONGLY copied"));
        return same && scratchLeft ? ExitCodes.OK : ExitCodes.DIFFERENCES;
    }
}
