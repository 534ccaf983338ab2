package io.pgrelocate.examples.cli;

import io.pgrelocate.core.CutoverMode;
import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.FenceMode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code pgrelocate migrate}: runs a migration in the foreground until it completes, stops or fails. */
final class MigrateCommand implements Command {
    static final Set<String> VALUED = Set.of("source", "target", "mode", "database", "ignore-database", "jobs",
            "cutover", "max-duration", "id", "state-schema", "fence", "cutover-timeout", "stall-timeout", "roles");
    static final Set<String> FLAGS = Set.of("disable-ssl", "json-progress", "accept-warnings", "allow-non-empty-target",
            "set-replica-identity-full", "keep-state", "no-fence", "recopy-invalidated", "cutover-verify",
            "no-ddl-capture");

    @Override
    public int run(List<String> argv, Console console) {
        Args args = Args.parse(argv, VALUED, FLAGS);
        MigrationBuilder builder = Options.builder(args, console, null)
                .listener(new ProgressPrinter(console, args.has("json-progress")))
                .acceptWarnings(args.has("accept-warnings"))
                .keepState(args.has("keep-state"))
                .fence(args.has("no-fence") ? FenceMode.NONE : fence(args.get("fence")))
                .recopyInvalidatedSlots(args.has("recopy-invalidated"))
                .cutoverVerify(args.has("cutover-verify"))
                .captureDdl(!args.has("no-ddl-capture"))
                .cutoverMode(cutover(args.get("cutover")));
        if (args.has("jobs")) {
            builder.jobs(args.intValue("jobs", 0));
        }
        if (args.has("max-duration")) {
            builder.maxDuration(DurationParser.parse(args.get("max-duration")));
        }
        if (args.has("cutover-timeout")) {
            builder.cutoverTimeout(DurationParser.parse(args.get("cutover-timeout")));
        }
        if (args.has("stall-timeout")) {
            builder.stallTimeout(DurationParser.parse(args.get("stall-timeout")));
        }
        if (args.has("state-schema")) {
            builder.stateSchema(args.get("state-schema"));
        }
        try (Migration migration = builder.build()) {
            Instant started = Instant.now();
            MigrationHandle handle = migration.start();
            MigrationState end;
            try (Interruption ignored = Interruption.stopping(handle, console)) {
                end = handle.await(Duration.ofDays(3650));
            }
            if (!args.has("json-progress")) {
                summary(console, handle.status(), end, Duration.between(started, Instant.now()));
            }
            return end == MigrationState.COMPLETED ? ExitCodes.OK : ExitCodes.STOPPED;
        }
    }

    private static CutoverMode cutover(String value) {
        if (value == null || value.equalsIgnoreCase("manual")) {
            return CutoverMode.MANUAL;
        }
        if (value.equalsIgnoreCase("auto")) {
            return CutoverMode.AUTO;
        }
        throw new UsageException("--cutover must be manual or auto, not '" + value + "'");
    }

    private static FenceMode fence(String value) {
        if (value == null) {
            return FenceMode.READ_ONLY;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "read-only" -> FenceMode.READ_ONLY;
            case "strong" -> FenceMode.STRONG;
            case "none" -> FenceMode.NONE;
            default -> throw new UsageException("--fence must be read-only, strong or none, not '" + value + "'");
        };
    }

    private static void summary(Console console, MigrationStatus status, MigrationState end, Duration elapsed) {
        long rows = status.databases().stream().mapToLong(DatabaseStatus::rowsCopied).sum();
        long bytes = status.databases().stream().mapToLong(DatabaseStatus::bytesCopied).sum();
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        console.println(String.format(Locale.ROOT, "migration %s in %.1f s: %d database(s), %,d rows, %s copied "
                        + "(%.1f MB/s, %,d rows/s)", end.name().toLowerCase(Locale.ROOT), seconds,
                status.databases().size(), rows, ProgressPrinter.size(bytes), bytes / 1048576.0 / seconds,
                (long) (rows / seconds)));
    }

}
