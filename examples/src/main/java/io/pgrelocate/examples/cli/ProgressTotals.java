package io.pgrelocate.examples.cli;

import io.pgrelocate.core.MigrationEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whole-run totals for the progress display: databases, tables and bytes planned and copied, the copy rate
 * over the last seconds and the time left at that rate, and post-data statements built. Fed by the
 * listener's events (any thread); read by the display. Thread-safe.
 */
final class ProgressTotals {
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private record Plan(int tables, long bytes) {
    }

    private record Sample(Instant at, long bytes) {
    }

    private volatile List<String> databases = List.of();
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Long> tableBytes = new ConcurrentHashMap<>();
    private final Map<String, Integer> tablesDone = new ConcurrentHashMap<>();
    private final Map<String, int[]> postData = new ConcurrentHashMap<>();
    private final Deque<Sample> samples = new ArrayDeque<>();

    void started(MigrationEvent.MigrationStarted e) {
        databases = e.databases();
    }

    void planned(MigrationEvent.CopyPlanned e) {
        plans.put(e.database(), new Plan(e.tables(), e.estimatedBytes()));
    }

    void copied(MigrationEvent.TableCopyProgress e) {
        tableBytes.put(e.database() + "\u0000" + e.table(), e.bytes());
        if (e.done()) {
            tablesDone.merge(e.database(), 1, Integer::sum);
        }
    }

    void postData(MigrationEvent.PostDataProgress e) {
        postData.put(e.database(), new int[] {e.done(), e.total()});
    }

    long bytesCopied() {
        return tableBytes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Bytes per second over the last few seconds; records a sample at {@code now}. */
    synchronized double rate(Instant now) {
        long bytes = bytesCopied();
        samples.addLast(new Sample(now, bytes));
        while (samples.size() > 2 && samples.peekFirst().at().isBefore(now.minus(RATE_WINDOW))) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        double seconds = Duration.between(first.at(), now).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : (bytes - first.bytes()) / seconds;
    }

    /** One line: what the whole run has copied and built so far, and what is left. */
    String line(Instant now) {
        double rate = rate(now);
        long copied = bytesCopied();
        long planned = plans.values().stream().mapToLong(Plan::bytes).sum();
        int tables = plans.values().stream().mapToInt(Plan::tables).sum();
        int done = tablesDone.values().stream().mapToInt(Integer::intValue).sum();
        long dbsCopied = plans.entrySet().stream()
                .filter(p -> tablesDone.getOrDefault(p.getKey(), 0) >= p.getValue().tables()).count();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "copy: %d/%d databases, %d/%d tables, %s",
                dbsCopied, databases.size(), done, tables, ProgressPrinter.size(copied)));
        if (planned > 0) {
            long left = Math.max(0, planned - copied);
            sb.append(String.format(Locale.ROOT, " of ~%s (%d%%)", ProgressPrinter.size(planned),
                    done == tables && plans.size() == databases.size() ? 100 : Math.min(99, copied * 100 / planned)));
            if (rate > 0 && done < tables) {
                sb.append(String.format(Locale.ROOT, ", %s/s, ETA %s", ProgressPrinter.size((long) rate),
                        clock(Duration.ofSeconds((long) (left / rate)))));
            }
        }
        int built = postData.values().stream().mapToInt(p -> p[0]).sum();
        int toBuild = postData.values().stream().mapToInt(p -> p[1]).sum();
        if (toBuild > 0) {
            sb.append(String.format(Locale.ROOT, "; post-data: %d/%d indexes, constraints and statistics built",
                    built, toBuild));
        }
        return sb.toString();
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
