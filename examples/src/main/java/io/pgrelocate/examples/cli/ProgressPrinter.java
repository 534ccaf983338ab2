package io.pgrelocate.examples.cli;

import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prints a migration's progress: a line per phase, per finished table (and every few seconds for a big
 * one), per warning, and lag now and then, with the whole run's totals (databases, tables, bytes, rate, ETA,
 * post-data) kept on the terminal's last line, or printed as a line every few seconds when the output is not
 * a terminal; or every event as one JSON line with {@code --json-progress}.
 */
final class ProgressPrinter implements MigrationListener {
    private static final long TABLE_EVERY_SECONDS = 5;
    private static final long LAG_EVERY_SECONDS = 10;
    private static final long TOTALS_EVERY_SECONDS = 10;

    private final Console console;
    private final boolean json;
    private final Map<String, Instant> lastLine = new ConcurrentHashMap<>();
    private final ProgressTotals totals = new ProgressTotals();

    ProgressPrinter(Console console, boolean json) {
        this.console = console;
        this.json = json;
    }

    ProgressTotals totals() {
        return totals;
    }

    @Override
    public void onEvent(MigrationEvent event) {
        if (json) {
            console.println(Json.event(event.getClass().getSimpleName(), (Record) event));
        }
    }

    @Override
    public void onMigrationStarted(MigrationEvent.MigrationStarted e) {
        totals.started(e);
    }

    @Override
    public void onCopyPlanned(MigrationEvent.CopyPlanned e) {
        totals.planned(e);
        text(String.format(Locale.ROOT, "[%s] %d table(s) to copy, ~%s", e.database(), e.tables(),
                size(e.estimatedBytes())));
    }

    @Override
    public void onPostDataProgress(MigrationEvent.PostDataProgress e) {
        totals.postData(e);
        if (e.done() == e.total()) {
            text(String.format(Locale.ROOT, "[%s] post-data done: %d indexes, constraints and statistics built",
                    e.database(), e.total()));
        } else if (due("post/" + e.database(), e.at(), TABLE_EVERY_SECONDS)) {
            text(String.format(Locale.ROOT, "[%s] post-data: %d/%d built (last: %s)", e.database(), e.done(),
                    e.total(), e.object()));
        }
    }

    @Override
    public void onPhaseStarted(MigrationEvent.PhaseStarted e) {
        text("[" + e.database() + "] " + e.phase().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    @Override
    public void onPhaseFailed(MigrationEvent.PhaseFailed e) {
        text("[" + e.database() + "] failed while " + e.phase().name().toLowerCase(Locale.ROOT) + ": "
                + e.error().getMessage());
    }

    @Override
    public void onSchemaWarning(MigrationEvent.SchemaWarning e) {
        text("[" + e.database() + "] warning: " + e.message());
    }

    @Override
    public void onTableCopyProgress(MigrationEvent.TableCopyProgress e) {
        totals.copied(e);
        if (!console.isTerminal() && due("totals", e.at(), TOTALS_EVERY_SECONDS)) {
            text(totals.line(e.at()));
        }
        String key = e.database() + "/" + e.table();
        if (e.done()) {
            lastLine.remove(key);
            text(String.format(Locale.ROOT, "[%s] copied %s: %,d rows, %s", e.database(), e.table(), e.rows(),
                    size(e.bytes())));
        } else if (due(key, e.at(), TABLE_EVERY_SECONDS)) {
            String of = e.estimatedRows() > 0
                    ? String.format(Locale.ROOT, " of ~%,d (%d%%)", e.estimatedRows(),
                    Math.min(99, e.rows() * 100 / e.estimatedRows())) : "";
            text(String.format(Locale.ROOT, "[%s] copying %s: %,d rows%s, %s", e.database(), e.table(), e.rows(), of,
                    size(e.bytes())));
        }
    }

    @Override
    public void onLagUpdated(MigrationEvent.LagUpdated e) {
        if (due("lag/" + e.database(), e.at(), LAG_EVERY_SECONDS)) {
            text(String.format(Locale.ROOT, "[%s] lag %s, %.1f s", e.database(), size(e.lagBytes()),
                    e.lagTime() == null ? 0.0 : e.lagTime().toMillis() / 1000.0));
        }
    }

    @Override
    public void onCaughtUp(MigrationEvent.CaughtUp e) {
        text("[" + e.database() + "] caught up at " + e.appliedLsn() + "; streaming changes");
    }

    @Override
    public void onCutoverStarted(MigrationEvent.CutoverStarted e) {
        text("cutover started");
    }

    @Override
    public void onCutoverCompleted(MigrationEvent.CutoverCompleted e) {
        text(String.format(Locale.ROOT, "cutover completed in %.1f s", e.elapsed().toMillis() / 1000.0));
    }

    @Override
    public void onMigrationStopped(MigrationEvent.MigrationStopped e) {
        text("migration stopped: " + e.reason() + "; what was copied stays on the target");
    }

    private boolean due(String key, Instant now, long seconds) {
        Instant last = lastLine.get(key);
        if (last == null || !now.isBefore(last.plusSeconds(seconds))) {
            lastLine.put(key, now);
            return true;
        }
        return false;
    }

    private void text(String line) {
        if (!json) {
            console.println(line);
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1073741824.0);
    }
}
