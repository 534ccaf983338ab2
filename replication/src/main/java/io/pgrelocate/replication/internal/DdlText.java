package io.pgrelocate.replication.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A captured client query split into its statements, each classified by its leading keyword. Splitting
 * follows the server's lexer closely enough for DDL: quoted strings (with {@code E''} escapes), quoted
 * identifiers, dollar quotes, comments, and {@code BEGIN ATOMIC ... END} function bodies.
 */
record DdlText(List<Part> statements) {
    private static final Set<String> DDL = Set.of("CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "SECURITY",
            "REFRESH", "IMPORT", "REINDEX");
    private static final Set<String> TRANSACTION = Set.of("BEGIN", "START", "COMMIT", "END", "SAVEPOINT", "RELEASE");

    /** One statement: its text, its top-level words (upper case) and its leading keyword. */
    record Part(String text, List<String> words) {
        String keyword() {
            return words.isEmpty() ? "" : words.get(0);
        }

        boolean isDdl() {
            return DDL.contains(keyword());
        }

        boolean isTransactionControl() {
            return TRANSACTION.contains(keyword());
        }

        /** CREATE/DROP INDEX CONCURRENTLY and the like cannot run inside a transaction block. */
        boolean needsOwnTransaction() {
            return words.contains("CONCURRENTLY");
        }
    }

    /** The statements to run on the target: the DDL ones, without BEGIN/COMMIT around them. */
    List<Part> ddl() {
        return statements.stream().filter(Part::isDdl).toList();
    }

    /** The first statement that is neither DDL nor transaction control (DML, DO, SET...), or null. */
    Part notDdl() {
        return statements.stream().filter(p -> !p.isDdl() && !p.isTransactionControl()).findFirst().orElse(null);
    }

    boolean needsOwnTransaction() {
        return statements.stream().anyMatch(Part::needsOwnTransaction);
    }

    static DdlText parse(String sql) {
        List<Part> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int start = 0;
        int atomic = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
                i = skipQuoted(sql, i, '\'', escapes);
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"', false);
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                i = close < 0 ? n : close + tag.length();
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$')) {
                    end++;
                }
                String word = sql.substring(i, end).toUpperCase(Locale.ROOT);
                if (word.equals("ATOMIC") && !words.isEmpty() && words.get(words.size() - 1).equals("BEGIN")) {
                    atomic++;
                } else if (atomic > 0 && (word.equals("CASE") || word.equals("END"))) {
                    atomic += word.equals("CASE") ? 1 : -1;
                }
                words.add(word);
                i = end;
            } else if (c == ';' && atomic == 0) {
                add(out, sql.substring(start, i), words);
                words = new ArrayList<>();
                start = ++i;
            } else {
                i++;
            }
        }
        add(out, sql.substring(start), words);
        return new DdlText(List.copyOf(out));
    }

    private static void add(List<Part> out, String text, List<String> words) {
        if (!words.isEmpty()) {
            out.add(new Part(text.strip(), List.copyOf(words)));
        }
    }

    private static int skipBlockComment(String sql, int i) {
        int depth = 0;
        int n = sql.length();
        while (i < n) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static int skipQuoted(String sql, int i, char quote, boolean escapes) {
        int n = sql.length();
        i++;
        while (i < n) {
            char c = sql.charAt(i);
            if (escapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** The dollar-quote opening at {@code i} ({@code $$} or {@code $tag$}), or null. */
    private static String dollarTag(String sql, int i) {
        if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
            return null;
        }
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }
}
