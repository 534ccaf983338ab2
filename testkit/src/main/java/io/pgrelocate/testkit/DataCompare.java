package io.pgrelocate.testkit;

import io.pgrelocate.core.spi.Sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Compares what two servers hold, table by table, independent of row order. */
public final class DataCompare {
    private DataCompare() {
    }

    /** Row count and an order-independent checksum of one table's rows. */
    public record Fingerprint(long rows, String checksum) {
    }

    /** {@code table} is a quoted, qualified name such as {@code "public"."orders"}. */
    public static Fingerprint fingerprint(SqlRunner server, String database, String table) {
        return fingerprint(server, database, table, "");
    }

    private static Fingerprint fingerprint(SqlRunner server, String database, String table, String only) {
        List<List<Object>> r = server.query(database, "SELECT count(*), md5(string_agg(md5(t::text), ',' ORDER BY "
                + "md5(t::text))) FROM " + only + table + " t");
        return new Fingerprint(((Number) r.get(0).get(0)).longValue(), String.valueOf(r.get(0).get(1)));
    }

    /** Every ordinary table of {@code database} (partitions included, parents excluded) with its fingerprint. */
    public static Map<String, Fingerprint> tables(SqlRunner server, String database) {
        Map<String, Fingerprint> out = new LinkedHashMap<>();
        for (String t : server.queryColumn(database, "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN "
                + "('pg_catalog', 'information_schema', 'pgrelocate') AND n.nspname NOT LIKE 'pg_toast%' "
                + "ORDER BY 1")) {
            // each table's own rows: its children are listed themselves, and a foreign child cannot be read
            out.put(t, fingerprint(server, database, t, "ONLY "));
        }
        return out;
    }

    /** Every sequence of {@code database} with its {@code last_value} and {@code is_called}. */
    public static Map<String, String> sequences(SqlRunner server, String database) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : server.queryColumn(database, "SELECT format('%I.%I', schemaname, sequencename) "
                + "FROM pg_sequences WHERE schemaname <> 'pgrelocate' ORDER BY 1")) {
            out.put(s, server.queryValue(database, "SELECT last_value || '/' || is_called FROM " + s));
        }
        return out;
    }

    /**
     * Asserts that both servers hold the same tables with the same rows, and the same sequence values.
     * Plain Java (no assertion library), so that the demo can use it outside a test.
     *
     * @throws AssertionError naming every table or sequence that differs
     */
    public static void assertSameData(SqlRunner source, SqlRunner target, String database) {
        List<String> differences = new java.util.ArrayList<>();
        differences.addAll(differences("table", tables(source, database), tables(target, database)));
        differences.addAll(differences("sequence", sequences(source, database), sequences(target, database)));
        if (!differences.isEmpty()) {
            throw new AssertionError("database " + database + " differs: " + String.join("; ", differences));
        }
    }

    private static List<String> differences(String kind, Map<String, ?> source, Map<String, ?> target) {
        List<String> out = new java.util.ArrayList<>();
        TreeSet<String> names = new TreeSet<>(source.keySet());
        names.addAll(target.keySet());
        for (String name : names) {
            if (!Objects.equals(source.get(name), target.get(name))) {
                out.add(kind + " " + name + ": source " + source.get(name) + ", target " + target.get(name));
            }
        }
        return out;
    }

    /** The quoted, qualified name of {@code schema.table}. */
    public static String name(String schema, String table) {
        return Sql.qualified(schema, table);
    }
}
