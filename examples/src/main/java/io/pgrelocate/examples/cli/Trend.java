package io.pgrelocate.examples.cli;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@code status} adds to one reading of the state tables: a second reading a moment later, so it can say
 * how fast each database copies and whether its lag is falling or rising, and when the stream will have
 * caught up at that pace.
 */
final class Trend {
    static final Duration SAMPLE = Duration.ofSeconds(1);

    private final Map<String, DatabaseStatus> later;
    private final double seconds;

    private Trend(Map<String, DatabaseStatus> later, double seconds) {
        this.later = later;
        this.seconds = seconds;
    }

    /** Reads the running migrations again after {@link #SAMPLE}; nothing to compare when none runs. */
    static Trend sample(MigrationControl control, List<MigrationStatus> first) {
        Map<String, DatabaseStatus> later = new HashMap<>();
        List<MigrationStatus> running = first.stream().filter(s -> !s.state().isTerminal()
                && s.state() != MigrationState.INTERRUPTED).toList();
        if (running.isEmpty()) {
            return new Trend(later, 0);
        }
        long start = System.nanoTime();
        LockSupport.parkNanos(SAMPLE.toNanos());
        for (MigrationStatus s : running) {
            control.status(s.migrationId()).ifPresent(again -> again.databases()
                    .forEach(d -> later.put(s.migrationId() + "/" + d.database(), d)));
        }
        return new Trend(later, (System.nanoTime() - start) / 1e9);
    }

    /** ", copying 12.3 MB/s" and ", lag falling 1.2 MB/s, caught up in ~0:40", or "" without a second reading. */
    String describe(String migrationId, DatabaseStatus before) {
        Optional<DatabaseStatus> after = Optional.ofNullable(later.get(migrationId + "/" + before.database()));
        if (after.isEmpty() || seconds <= 0) {
            return "";
        }
        DatabaseStatus a = after.get();
        StringBuilder sb = new StringBuilder();
        long copied = a.bytesCopied() - before.bytesCopied();
        if (copied > 0) {
            sb.append(", copying ").append(ProgressPrinter.size((long) (copied / seconds))).append("/s");
        }
        if (before.lagBytes() >= 0 && a.lagBytes() >= 0) {
            double perSecond = (a.lagBytes() - before.lagBytes()) / seconds;
            if (Math.abs(perSecond) < 1024) {
                sb.append(", lag steady");
            } else if (perSecond < 0) {
                sb.append(String.format(Locale.ROOT, ", lag falling %s/s, caught up in ~%s",
                        ProgressPrinter.size((long) -perSecond),
                        ProgressTotals.clock(Duration.ofSeconds((long) (a.lagBytes() / -perSecond)))));
            } else {
                sb.append(", lag rising ").append(ProgressPrinter.size((long) perSecond)).append("/s");
            }
        }
        return sb.toString();
    }
}
