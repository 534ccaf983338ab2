package io.pgrelocate.examples.cli;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code pgrelocate status}: what the state tables on the target say, from any process. */
final class StatusCommand implements Command {
    /** A heartbeat older than this means no process is running the migration. */
    static final Duration STALE = Duration.ofSeconds(30);

    @Override
    public int run(List<String> argv, Console console) {
        Args args = Args.parse(argv, Set.of("target", "id", "state-schema"), Set.of("json", "disable-ssl"));
        Endpoint target = Options.endpoint(args, "target", console);
        try (MigrationControl control = MigrationControl.connect(target, stateSchema(args))) {
            List<MigrationStatus> all = new ArrayList<>(control.statuses());
            if (args.has("id")) {
                all.removeIf(s -> !s.migrationId().equals(args.get("id")));
            }
            Instant now = Instant.now();
            if (args.has("json")) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (MigrationStatus s : all) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("migration", s);
                    m.put("heartbeatAgeSeconds", control.heartbeatAge(s.migrationId(), now)
                            .map(d -> d.toMillis() / 1000.0).orElse(null));
                    out.add(m);
                }
                console.println(Json.of(out));
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                console.println("no migration is recorded on target " + target.display()
                        + " (a finished migration removes its state)");
                return ExitCodes.OK;
            }
            for (MigrationStatus s : all) {
                print(console, s, control.heartbeatAge(s.migrationId(), now).orElse(null));
            }
            return ExitCodes.OK;
        }
    }

    static String stateSchema(Args args) {
        return args.has("state-schema") ? args.get("state-schema") : "pgrelocate";
    }

    private static void print(Console c, MigrationStatus s, Duration heartbeat) {
        String process = s.state().isTerminal() ? "" : heartbeat == null || heartbeat.compareTo(STALE) > 0
                ? ", no process is running it (start it again to resume)"
                : String.format(Locale.ROOT, ", running (heartbeat %d s ago)", heartbeat.toSeconds());
        c.println(String.format(Locale.ROOT, "migration %s: %s %s from %s, started %s, stops by itself at %s%s%s",
                s.migrationId(), s.mode(), s.state(), s.source(), s.startedAt(), s.deadline(),
                s.requestedAction() == null ? "" : ", " + s.requestedAction() + " requested", process));
        if (s.error() != null) {
            c.println("  error: " + s.error());
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
            if (d.error() != null) {
                line.append(", error: ").append(d.error());
            }
            c.println(line.toString());
        }
    }
}
