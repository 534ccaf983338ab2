package io.pgrelocate.core.spi;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one place identifiers and literals are quoted for SQL. Every name that reaches SQL, whether
 * from a user or from a catalog, goes through {@link #ident} or {@link #qualified}. Thread-safe.
 */
public final class Sql {
    private Sql() {
    }

    /** {@code "name"}, with embedded double quotes doubled; always quoted, so case and keywords survive. */
    public static String ident(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an SQL identifier cannot be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SQL identifier cannot contain a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return ident(schema) + '.' + ident(name);
    }

    /** A comma-separated list of quoted identifiers. */
    public static String identList(Collection<String> names) {
        return names.stream().map(Sql::ident).collect(Collectors.joining(", "));
    }

    /**
     * {@code -- text} as one SQL comment line: a line break in {@code text} (a name from a catalog, say) would end
     * the comment and turn the rest into SQL, so each is written as {@code \n} / {@code \r}.
     */
    public static String comment(String text) {
        return "-- " + text.replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * {@code sql} with the value of every {@code password} option (user mappings, servers) replaced by
     * {@code '***'}: the one way a statement's text reaches a log or a message.
     */
    public static String maskPasswords(String sql) {
        return PASSWORD_OPTION.matcher(sql).replaceAll("$1'***'");
    }

    private static final java.util.regex.Pattern PASSWORD_OPTION = java.util.regex.Pattern.compile(
            "(?i)(\\b\"?password\"?\\s+)'(?:[^']|'')*'");

    /**
     * A string literal that reads back as {@code value} whatever {@code standard_conforming_strings} is:
     * {@code 'it''s'}, or {@code E'a\\b'} when it holds a backslash.
     */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SQL string literal cannot contain a NUL character");
        }
        String doubled = value.replace("'", "''");
        if (value.indexOf('\\') >= 0) {
            return "E'" + doubled.replace("\\", "\\\\") + "'";
        }
        return "'" + doubled + "'";
    }
}
