package io.pgrelocate.examples.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations such as {@code 14d}, {@code 6h}, {@code 90m}, {@code 30s} or ISO-8601 ({@code PT6H}). */
final class DurationParser {
    private static final Pattern SHORT = Pattern.compile("(\\d+)([dhms])");

    private DurationParser() {
    }

    static Duration parse(String text) {
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } catch (ArithmeticException | NumberFormatException e) {
                throw new UsageException("'" + text + "' is too long a duration: use at most 3650d");
            }
        }
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new UsageException("'" + text + "' is not a duration: use forms like 14d, 6h, 90m or 30s");
        }
    }
}
