package io.pgrelocate.dump.internal.verify;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL 16 stopped qualifying column names with their relation when a query reads a single relation
 * ({@code SELECT customer_id FROM app.orders} where 14 and 15 print {@code SELECT orders.customer_id ...}).
 * pg_get_viewdef, and pg_get_functiondef for SQL-standard bodies ({@code BEGIN ATOMIC}) and pg_get_ruledef,
 * print the same query differently on either side of 16, so between such servers these definitions are
 * compared with every {@code name.} qualifier removed from both. This can only hide a difference made of
 * qualifiers alone (a view reading the same column name from another relation of the same join).
 */
final class Pg16Deparse {
    /** Kinds whose definition is a deparsed query. */
    private static final Set<String> KINDS = Set.of("view", "materialized view", "function", "procedure", "rule");
    /** {@code name.} or {@code "Name".} before another name, not inside a longer name or a number. */
    private static final Pattern QUALIFIER = Pattern.compile(
            "(?<![\\w$\"])(?:[A-Za-z_][\\w$]*|\"(?:[^\"]|\"\")+\")\\.(?=[A-Za-z_\"])");

    private Pg16Deparse() {
    }

    /** Whether the servers print deparsed queries differently (one is older than 16, the other not). */
    static boolean straddles(int sourceMajor, int targetMajor) {
        return sourceMajor < 16 != targetMajor < 16;
    }

    /** Whether {@code source} and {@code target} differ only by relation qualifiers of a deparsed query. */
    static boolean sameQuery(String kind, String attribute, String source, String target) {
        if (!attribute.equals("definition") || !KINDS.contains(kind) || source == null || target == null) {
            return false;
        }
        if ((kind.equals("function") || kind.equals("procedure")) && !source.contains("BEGIN ATOMIC")) {
            return false;
        }
        return strip(source).equals(strip(target));
    }

    static String strip(String definition) {
        return QUALIFIER.matcher(definition).replaceAll("");
    }
}
