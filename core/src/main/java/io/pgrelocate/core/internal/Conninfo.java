package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * libpq's {@code key=value} connection string, read as libpq's {@code conninfo_parse} reads it: pairs separated
 * by whitespace, optional whitespace around {@code =}, a value either single-quoted or running to the next
 * whitespace, and in both a backslash taking the next character literally ({@code 'it\'s'}, {@code a\ b}). A later
 * keyword replaces an earlier one. Messages name keywords only, never the string or a value. Stateless.
 */
final class Conninfo {
    private Conninfo() {
    }

    /** The pairs of {@code s}; {@code known} keywords are the only text of {@code s} a message may name. */
    static Map<String, String> parse(String s, Set<String> known) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int start = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(start, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                throw invalid("missing '=' after keyword " + printable(key, known));
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            i = s.startsWith("'", i) ? quoted(s, i + 1, value, printable(key, known)) : unquoted(s, i, value);
            out.put(key, value.toString());
        }
    }

    /** Reads up to the closing quote; returns the index after it. */
    private static int quoted(String s, int i, StringBuilder value, String shownKey) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                value.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '\'') {
                return i + 1;
            } else {
                value.append(c);
                i++;
            }
        }
        throw invalid("unterminated quoted value of keyword " + shownKey);
    }

    private static int unquoted(String s, int i, StringBuilder value) {
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                value.append(s.charAt(i + 1));
                i += 2;
            } else {
                value.append(c);
                i++;
            }
        }
        return i;
    }

    /**
     * A keyword as a message shows it: only a known one, since text in keyword position may be part of a password
     * ({@code password=two words} reads {@code words} as a keyword).
     */
    static String printable(String key, Set<String> known) {
        return known.contains(key) ? "'" + key + "'" : "(not shown)";
    }

    static PgRelocateException invalid(String what) {
        return new PgRelocateException(ErrorCode.INVALID_URI, "invalid connection string (" + what + "); the string "
                + "is not shown, it may hold a password; expected key=value pairs such as host=db.example.com "
                + "port=5432 user=app dbname=shop sslmode=require");
    }
}
