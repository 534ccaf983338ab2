package io.pgrelocate.examples.cli;

import io.pgrelocate.core.CutoverMode;
import io.pgrelocate.core.FenceMode;
import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code pgrelocate migrate}: runs a migration in the foreground until it completes, stops or fails. */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a migration in the foreground: preflight, copy, and in continuous mode stream changes "
                + "until a cutover (exit 0), a stop (5) or an error (1). SIGINT/SIGTERM stop it, keeping what was "
                + "copied.")
final class MigrateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    Options.Servers servers;
    @Mixin
    Options.Selection selection;
    @Mixin
    Options.Run run;

    @Option(names = "--cutover", paramLabel = "WHEN", defaultValue = "manual", description = "manual (the "
            + "'cutover' command or the API) or auto (as soon as the stream has caught up); default: "
            + "${DEFAULT-VALUE}.")
    String cutover;

    @Option(names = "--max-duration", paramLabel = "DURATION", description = "Stop by itself after this long "
            + "(14d, 6h, 90m, 30s or ISO-8601), keeping what was copied; default: 14d, at most 3650d.")
    String maxDuration;

    @Option(names = "--json-progress", description = "Print every event as one JSON line instead of text.")
    boolean jsonProgress;

    @Option(names = "--accept-warnings", description = "Start although preflight reports warnings (errors "
            + "always block).")
    boolean acceptWarnings;

    @Option(names = "--keep-state", description = "Keep the state tables on the target after the run.")
    boolean keepState;

    @Option(names = "--no-fence", description = "Do not fence the source during the cutover (as --fence none).")
    boolean noFence;

    @Option(names = "--fence", paramLabel = "HOW", description = "How the cutover keeps writers off the source: "
            + "read-only (default_transaction_read_only, sessions ended; a session can still SET it off), strong "
            + "(also revokes CONNECT from every other role, restored afterwards) or none.")
    String fence;

    @Option(names = "--cutover-timeout", paramLabel = "DURATION", description = "How long the cutover may wait "
            + "for the target to apply the source's last changes before it fails and lifts the fence; default: 10m.")
    String cutoverTimeout;

    @Option(names = "--stall-timeout", paramLabel = "DURATION", description = "A replication stream silent this "
            + "long is reconnected; default: 2 x the source's wal_sender_timeout, within 10s..5m.")
    String stallTimeout;

    @Option(names = "--recopy-invalidated", description = "When a database's slot was invalidated "
            + "(max_slot_wal_keep_size), drop it and copy that database again from scratch.")
    boolean recopyInvalidated;

    @Option(names = "--cutover-verify", description = "At cutover, compare every table's rows too (the schema "
            + "is always compared); a difference fails the cutover and lifts the fence.")
    boolean cutoverVerify;

    @Option(names = "--no-ddl-capture", description = "Do not capture schema changes on the source; a schema "
            + "change then stops the migration instead of being replicated.")
    boolean noDdlCapture;

    MigrateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Console console = ctx.console();
        MigrationBuilder builder = Options.builder(servers, selection, run, ctx, null)
                .acceptWarnings(acceptWarnings)
                .keepState(keepState)
                .fence(noFence ? FenceMode.NONE : fence(fence))
                .recopyInvalidatedSlots(recopyInvalidated)
                .cutoverVerify(cutoverVerify)
                .captureDdl(!noDdlCapture)
                .cutoverMode(cutover(cutover));
        if (maxDuration != null) {
            builder.maxDuration(DurationParser.parse(maxDuration));
        }
        if (cutoverTimeout != null) {
            builder.cutoverTimeout(DurationParser.parse(cutoverTimeout));
        }
        if (stallTimeout != null) {
            builder.stallTimeout(DurationParser.parse(stallTimeout));
        }
        ProgressPrinter progress = new ProgressPrinter(console, jsonProgress);
        builder.listener(progress);
        try (Migration migration = builder.build()) {
            Instant started = Instant.now();
            MigrationHandle handle = migration.start();
            MigrationState end;
            try (Interruption ignored = Interruption.stopping(handle, console);
                 LiveStatus live = jsonProgress ? null : LiveStatus.start(console, handle, progress.totals())) {
                end = handle.await(Duration.ofDays(3650));
            }
            if (!jsonProgress) {
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
