package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One database's schema objects as one server describes them, read by {@link CatalogQueries}: by
 * {@code kind + identity}, each with its named attributes. Also the tables whose rows are compared and the
 * sequences whose values are. Immutable once read.
 */
record CatalogSnapshot(Map<ObjectKey, Map<String, String>> objects, Map<TableRef, DataTable> tables,
                       List<TableRef> sequences) {
    private static final Pattern PLACEHOLDER = Pattern.compile(":excluded|:roles");

    /** An object's kind and identity. */
    record ObjectKey(String kind, String identity) {
    }

    /**
     * A table or materialized view whose rows are compared; {@code condition} is an extension configuration table's
     * filter, SQL from the server's own catalog selecting the rows compared (empty for all), null for other tables.
     */
    record DataTable(TableRef ref, boolean unpopulated, long blocks, List<String> columns, boolean heap,
                     String condition) {
    }

    /**
     * Reads everything, in {@code c}'s current transaction.
     *
     * @param excluded schemas not compared (pgrelocate's state schema on the target)
     * @param roles    roles that exist on both servers: privileges are compared only for them
     * @param withData whether to list the tables and sequences whose contents are compared too (a schema-only
     *                 verify, as a cutover's, leaves them empty: sizing 10,000 tables is a file look-up each)
     */
    static CatalogSnapshot read(Connection c, Collection<String> excluded, Collection<String> roles, boolean withData)
            throws SQLException {
        Map<String, String> params = Map.of(":excluded", array(excluded), ":roles", array(roles));
        Map<ObjectKey, Map<String, String>> objects = new LinkedHashMap<>();
        Map<String, String> pool = new HashMap<>();
        for (String query : CatalogQueries.ALL) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(bind(query, params))) {
                ResultSetMetaData md = rs.getMetaData();
                String[] names = new String[md.getColumnCount() - 2];
                for (int i = 0; i < names.length; i++) {
                    names[i] = md.getColumnLabel(i + 3);
                }
                while (rs.next()) {
                    String[] values = new String[names.length];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = shared(pool, rs.getString(i + 3));
                    }
                    objects.put(new ObjectKey(shared(pool, rs.getString(1)), rs.getString(2)),
                            new Attributes(names, values));
                }
            }
        }
        Map<TableRef, DataTable> tables = new LinkedHashMap<>();
        List<TableRef> sequences = new ArrayList<>();
        if (!withData) {
            return new CatalogSnapshot(Collections.unmodifiableMap(objects), Map.of(), List.of());
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(bind(CatalogQueries.DATA_TABLES, params))) {
            while (rs.next()) {
                TableRef ref = new TableRef(rs.getString(1), rs.getString(2), rs.getString(6));
                List<String> columns = new ArrayList<>(Arrays.asList((String[]) rs.getArray(5).getArray()));
                Collections.sort(columns);
                tables.put(ref, new DataTable(ref, rs.getBoolean(3), rs.getLong(4), List.copyOf(columns),
                        rs.getBoolean(7), rs.getString(8)));
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(bind(CatalogQueries.SEQUENCE_NAMES, params))) {
            while (rs.next()) {
                sequences.add(new TableRef(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return new CatalogSnapshot(Collections.unmodifiableMap(objects), Collections.unmodifiableMap(tables),
                List.copyOf(sequences));
    }

    /**
     * One copy of each short value (types, flags, owners repeat across tens of thousands of objects): 50,000 tables'
     * snapshots of both sides held as plain strings and hash maps did not fit a 256 MB heap.
     */
    private static String shared(Map<String, String> pool, String value) {
        return value == null || value.length() > 64 ? value : pool.computeIfAbsent(value, v -> v);
    }

    /** One object's attributes, read-only: the names its query's rows share, and its values. */
    static final class Attributes extends AbstractMap<String, String> {
        private final String[] names;
        private final String[] values;

        Attributes(String[] names, String[] values) {
            this.names = names;
            this.values = values;
        }

        @Override
        public String get(Object name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return values[i];
                }
            }
            return null;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return IntStream.range(0, names.length)
                            .mapToObj(i -> (Entry<String, String>) new SimpleImmutableEntry<>(names[i], values[i]))
                            .iterator();
                }

                @Override
                public int size() {
                    return names.length;
                }
            };
        }
    }

    /** Replaces each placeholder in one pass, so that a value holding a placeholder's text stays as it is. */
    private static String bind(String query, Map<String, String> params) {
        return PLACEHOLDER.matcher(query).replaceAll(m -> Matcher.quoteReplacement(params.get(m.group())));
    }

    /** A text array literal; every element quoted by {@link Sql#literal}. */
    private static String array(Collection<String> values) {
        return values.stream().map(Sql::literal).collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
    }
}
