package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Names the catalogs return raw (as text arrays) and Java quotes through {@link Sql} / {@link QualifiedName}, the
 * one quoting path: the server never quotes a name that ends up in SQL run on the target ({@code format('%I')},
 * {@code quote_ident}, {@code ::regclass::text}), so every identifier in generated DDL passes one audited helper.
 */
final class CatalogNames {
    /** What an operator name may hold (as the server's lexer defines operators); anything else is refused. */
    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

    private CatalogNames() {
    }

    /** SQL expression: the raw {@code {schema, name}} pair as a text array. */
    static String pair(String schema, String name) {
        return "ARRAY[" + schema + "::text, " + name + "::text]";
    }

    /** {@code "schema"."name"} from a {@code {schema, name}} text array column, or null when it is null. */
    static String qualified(ResultSet rs, int column) throws SQLException {
        String[] pair = strings(rs.getArray(column));
        return pair == null ? null : new QualifiedName(pair[0], pair[1]).sql();
    }

    /**
     * The rows of a two-dimensional text array column ({@code ARRAY(SELECT ARRAY[a, b] ...)}), empty when the
     * array is empty or null.
     */
    static List<String[]> rows(ResultSet rs, int column) throws SQLException {
        Array array = rs.getArray(column);
        List<String[]> out = new ArrayList<>();
        if (array != null && array.getArray() instanceof Object[] items) {
            for (Object item : items) {
                out.add((String[]) item);
            }
        }
        return out;
    }

    /** Each {@code {schema, name}} row of a two-dimensional array column, quoted. */
    static List<String> qualifiedList(ResultSet rs, int column) throws SQLException {
        return rows(rs, column).stream().map(r -> new QualifiedName(r[0], r[1]).sql()).toList();
    }

    /** Each {@code {name, text}} row as {@code prefix "name" text} (a constraint and its server-made definition). */
    static List<String> named(String prefix, ResultSet rs, int column) throws SQLException {
        return rows(rs, column).stream().map(r -> prefix + Sql.ident(r[0]) + " " + r[1]).toList();
    }

    /**
     * Generic options ({@code pg_options_to_table} rows as a two-dimensional {@code {name, value}} array) as
     * {@code "name" 'value', ...}, or null when there are none.
     */
    static String options(ResultSet rs, int column) throws SQLException {
        StringJoiner out = new StringJoiner(", ");
        for (String[] option : rows(rs, column)) {
            out.add(Sql.ident(option[0]) + " " + Sql.literal(option[1]));
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** {@code "schema".op}: an operator is no identifier, so its name is checked to hold only operator characters. */
    static String operator(String schema, String op) {
        if (op == null || op.isEmpty() || op.chars().anyMatch(c -> OPERATOR_CHARS.indexOf(c) < 0)) {
            throw new IllegalArgumentException("not an operator name: " + Sql.literal(op));
        }
        return Sql.ident(schema) + "." + op;
    }

    /** {@code OPERATOR("schema".op)} from a {@code {schema, op}} text array column, or null when it is null. */
    static String operatorRef(ResultSet rs, int column) throws SQLException {
        String[] pair = strings(rs.getArray(column));
        return pair == null ? null : "OPERATOR(" + operator(pair[0], pair[1]) + ")";
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? null : (String[]) array.getArray();
    }
}
