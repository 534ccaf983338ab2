package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PostgresServer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code pgrelocate demo}: starts an embedded source (PostgreSQL 16) and target (17), loads sample
 * databases, migrates all but one of them, and shows that the target holds the same rows.
 */
final class DemoCommand implements Command {
    private static final int SOURCE_MAJOR = 16;
    private static final int TARGET_MAJOR = 17;

    @Override
    public int run(List<String> argv, Console console) {
        Args args = Args.parse(argv, Set.of("jobs"), Set.of());
        console.println("starting embedded PostgreSQL " + SOURCE_MAJOR + " (source) and " + TARGET_MAJOR + " (target)");
        try (PostgresServer source = PostgresServer.builder().major(SOURCE_MAJOR).start();
             PostgresServer target = PostgresServer.builder().major(TARGET_MAJOR).start()) {
            console.secret(PostgresServer.PASSWORD);
            console.println("loading sample databases shop, analytics and scratch on " + source);
            SampleData.load(source);
            console.println("migrating every database except scratch to " + target);
            try (Migration migration = Migration.builder()
                    .source(source.endpoint("postgres"))
                    .target(target.endpoint("postgres"))
                    .mode(Mode.DUMP)
                    .ignoreDatabases(SampleData.SCRATCH)
                    .jobs(args.intValue("jobs", Math.max(2, Runtime.getRuntime().availableProcessors())))
                    .listener(new ProgressPrinter(console, false))
                    .build()) {
                long start = System.nanoTime();
                MigrationState end = migration.start().await(Duration.ofMinutes(30));
                console.println(String.format(Locale.ROOT, "migration %s in %.1f s",
                        end.name().toLowerCase(Locale.ROOT), (System.nanoTime() - start) / 1e9));
            }
            return compare(console, source, target);
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
            console.println(String.format(Locale.ROOT, "%-10s %d tables, %,d rows on the target: %s", db,
                    actual.size(), rows, tablesSame && sequencesSame ? "identical to the source (row checksums "
                            + "and sequences)" : "DIFFERENT from the source"));
            same &= tablesSame && sequencesSame;
        }
        boolean scratchLeft = !target.databaseExists(SampleData.SCRATCH);
        console.println("scratch    " + (scratchLeft ? "ignored, as asked: not on the target" : "WRONGLY copied"));
        return same && scratchLeft ? ExitCodes.OK : ExitCodes.DIFFERENCES;
    }
}
