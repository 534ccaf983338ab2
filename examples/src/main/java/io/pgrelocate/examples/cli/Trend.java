package io.pgrelocate.examples.cli;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Phase;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What {@code status} tells from one database's row of the state: the copy's progress against its estimate,
 * and, from the two readings the running process keeps there (the current one and one a few seconds older,
 * each with its own timestamp), how fast it copies, when the copy should end, whether the lag is falling or
 * rising and when the stream should have caught up. One read of the state: no second reading a moment later.
 */
final class Trend {
    /** A lag that changes by less than this per second reads as steady. */
    private static final double STEADY = 1024;

    private Trend() {
    }

    /**
     * ", 45% of ~7.1 MB, copying 1.2 MB/s, ETA 0:04" and ", lag falling 1.2 MB/s, caught up in ~0:40", or less;
     * rates and ETAs only when {@code live} (a process still writes the readings: else they are stale).
     */
    static String describe(DatabaseStatus d, boolean live) {
        StringBuilder sb = new StringBuilder();
        if (d.phase() == Phase.COPYING && d.copyPercent().isPresent()) {
            sb.append(String.format(Locale.ROOT, ", %.0f%% of ~%s", d.copyPercent().getAsDouble(),
                    ProgressPrinter.size(d.bytesPlanned())));
        }
        if (!live) {
            return sb.toString();
        }
        d.copyRate().ifPresent(rate -> sb.append(", copying ").append(ProgressPrinter.size((long) rate)).append("/s")
                .append(d.copyEta().map(eta -> ", ETA " + ProgressTotals.clock(eta)).orElse("")));
        OptionalDouble lag = d.lagRate();
        if (lag.isPresent()) {
            double perSecond = lag.getAsDouble();
            if (Math.abs(perSecond) < STEADY) {
                sb.append(", lag steady");
            } else if (perSecond < 0) {
                sb.append(", lag falling ").append(ProgressPrinter.size((long) -perSecond)).append("/s")
                        .append(d.catchUpEta().map(eta -> ", caught up in ~" + ProgressTotals.clock(eta)).orElse(""));
            } else {
                sb.append(", lag rising ").append(ProgressPrinter.size((long) perSecond)).append("/s");
            }
        }
        return sb.toString();
    }

    /** The same for {@code status --json}: rates in bytes per second, ETAs in seconds, null when unknown. */
    static Map<String, Object> json(DatabaseStatus d, boolean live) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("database", d.database());
        m.put("copyPercent", value(d.copyPercent()));
        m.put("copyBytesPerSecond", live ? value(d.copyRate()) : null);
        m.put("copyEtaSeconds", live ? seconds(d.copyEta()) : null);
        OptionalDouble lag = live ? d.lagRate() : OptionalDouble.empty();
        m.put("lagTrend", lag.isEmpty() ? null : Math.abs(lag.getAsDouble()) < STEADY ? "steady"
                : lag.getAsDouble() < 0 ? "falling" : "rising");
        m.put("lagBytesPerSecond", value(lag));
        m.put("caughtUpInSeconds", live ? seconds(d.catchUpEta()) : null);
        return m;
    }

    private static Double value(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }

    private static Long seconds(Optional<Duration> d) {
        return d.map(Duration::toSeconds).orElse(null);
    }
}
