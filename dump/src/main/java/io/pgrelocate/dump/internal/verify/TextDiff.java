package io.pgrelocate.dump.internal.verify;

import java.util.Objects;

/** Says how two values differ, briefly: whole when short, around the first differing character when long. */
final class TextDiff {
    static final int SHORT = 100;
    private static final int CONTEXT = 40;

    private TextDiff() {
    }

    /** {@code source "a", target "b"}; long values shown from shortly before their first difference. */
    static String describe(String source, String target) {
        if (source == null || target == null || source.length() + target.length() <= 2 * SHORT) {
            return "source " + show(source) + ", target " + show(target);
        }
        int at = firstDifference(source, target);
        int from = Math.max(0, at - CONTEXT);
        return "from character " + (at + 1) + ": source " + excerpt(source, from) + ", target " + excerpt(target, from);
    }

    static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    private static String excerpt(String s, int from) {
        if (from >= s.length()) {
            return "(ends)";
        }
        int to = Math.min(s.length(), from + 2 * CONTEXT);
        return (from > 0 ? "..." : "") + quote(s.substring(from, to)) + (to < s.length() ? "..." : "");
    }

    private static String show(String s) {
        return s == null ? "(none)" : quote(s);
    }

    private static String quote(String s) {
        return '"' + Objects.requireNonNull(s).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                .replace("\r", "\\r").replace("\t", "\\t") + '"';
    }
}
