package io.pgrelocate.examples.cli;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationOutcome;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code pgrelocate status}: what the state tables on the target say, from any process: unfinished
 * migrations, and how recently finished ones ended. Exit 1 when a migration shown failed, 5 when one was
 * stopped, else 0.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the migrations recorded on a target, from any process: phase, progress, lag, whether "
                + "a process still runs them, and how recent ones ended. Exit 1 when one shown failed, 5 when one "
                + "was stopped, else 0.")
final class StatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    Options.State state;

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Console console = ctx.console();
        Endpoint target = Options.endpoint(state.target, "--target", state.targetPasswordFile, state.disableSsl, ctx);
        try (MigrationControl control = MigrationControl.connect(target, state.stateSchema)) {
            Report report = Report.read(control, state.id);
            if (json) {
                console.println(Json.of(report.json(control)));
            } else if (report.live().isEmpty() && report.finished().isEmpty()) {
                console.println("no migration is recorded on target " + target.display());
            } else {
                for (MigrationStatus s : report.live()) {
                    lines(s, Liveness.of(control, s)).forEach(console::println);
                }
                report.finished().forEach(o -> console.println(finished(o)));
            }
            return report.exitCode();
        }
    }

    /** Unfinished (or failed, or kept) migrations, and the outcomes of finished ones not among them. */
    record Report(List<MigrationStatus> live, List<MigrationOutcome> finished) {
        static Report read(MigrationControl control, String id) {
            List<MigrationStatus> live = new ArrayList<>(control.statuses());
            List<MigrationOutcome> finished = new ArrayList<>(control.outcomes());
            if (id != null) {
                live.removeIf(s -> !s.migrationId().equals(id));
                finished.removeIf(o -> !o.migrationId().equals(id));
            }
            finished.removeIf(o -> live.stream().anyMatch(s -> s.migrationId().equals(o.migrationId())));
            return new Report(live, finished);
        }

        int exitCode() {
            List<MigrationState> states = new ArrayList<>(live.stream().map(MigrationStatus::state).toList());
            finished.forEach(o -> states.add(o.state()));
            return states.contains(MigrationState.FAILED) ? ExitCodes.FAILURE
                    : states.contains(MigrationState.STOPPED) ? ExitCodes.STOPPED : ExitCodes.OK;
        }

        Map<String, Object> json(MigrationControl control) {
            List<Map<String, Object>> migrations = new ArrayList<>();
            for (MigrationStatus s : live) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("migration", s);
                Liveness l = Liveness.of(control, s);
                m.put("processRunning", l.processRunning());
                m.put("heartbeatAgeSeconds", l.age() == null ? null : l.age().toMillis() / 1000.0);
                m.put("progress", s.databases().stream().map(d -> Trend.json(d, l.writing(s.state()))).toList());
                migrations.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("migrations", migrations);
            out.put("finished", finished);
            return out;
        }
    }

    /** Whether a process still runs a migration, and how long ago it last wrote its heartbeat. */
    record Liveness(boolean processRunning, Duration age, Duration interval) {
        static Liveness of(MigrationControl control, MigrationStatus s) {
            Optional<Duration> age = control.heartbeatAge(s.migrationId(), Instant.now());
            return new Liveness(control.isProcessRunning(s.migrationId()), age.orElse(null),
                    control.heartbeatInterval(s.migrationId()).orElse(Duration.ofSeconds(1)));
        }

        /** A heartbeat is overdue as soon as one interval has been missed. */
        boolean overdue() {
            return age == null || age.compareTo(interval.multipliedBy(2)) > 0;
        }

        /** Whether a process still writes this run's readings, so that rates and ETAs from them are current. */
        boolean writing(MigrationState state) {
            return !state.isTerminal() && state != MigrationState.INTERRUPTED && processRunning && !overdue();
        }

        String describe(MigrationState state) {
            if (state.isTerminal()) {
                return "";
            }
            if (state == MigrationState.INTERRUPTED || !processRunning) {
                return String.format(Locale.ROOT, ", no process is running it%s (start it again to resume)",
                        age == null ? "" : ", no heartbeat for " + age.toSeconds() + " s");
            }
            return overdue() ? String.format(Locale.ROOT, ", no heartbeat for %d s (process holds its lock: busy or "
                    + "cut off from the target?)", age == null ? 0 : age.toSeconds())
                    : String.format(Locale.ROOT, ", running (heartbeat %.1f s ago)", age.toMillis() / 1000.0);
        }
    }

    static String finished(MigrationOutcome o) {
        return String.format(Locale.ROOT, "migration %s: %s %s at %s (started %s, from %s)%s", o.migrationId(),
                o.mode(), o.state(), o.endedAt(), o.startedAt(), o.source(),
                o.error() == null ? "" : ": " + o.error());
    }

    /** What {@code status} prints for one unfinished (or failed, or kept) migration. */
    static List<String> lines(MigrationStatus s, Liveness liveness) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "migration %s: %s %s from %s, started %s, stops by itself at %s%s%s",
                s.migrationId(), s.mode(), s.state(), s.source(), s.startedAt(), s.deadline(),
                s.requestedAction() == null ? "" : ", " + s.requestedAction() + " requested",
                liveness.describe(s.state())));
        if (s.error() != null) {
            out.add("  error: " + s.error());
        }
        for (DatabaseStatus d : s.databases()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-20s %-12s %d/%d tables, %,d rows, %s",
                    d.database(), d.phase(), d.tablesDone(), d.tablesTotal(), d.rowsCopied(),
                    ProgressPrinter.size(d.bytesCopied())));
            if (d.lastAppliedLsn() != null) {
                line.append(", applied ").append(d.lastAppliedLsn());
            }
            if (d.lagBytes() >= 0) {
                line.append(String.format(Locale.ROOT, ", lag %s / %.1f s", ProgressPrinter.size(d.lagBytes()),
                        d.lagTime() == null ? 0.0 : d.lagTime().toMillis() / 1000.0));
            }
            line.append(Trend.describe(d, liveness.writing(s.state())));
            if (d.error() != null) {
                line.append(", error: ").append(d.error());
            }
            out.add(line.toString());
        }
        return out;
    }
}
