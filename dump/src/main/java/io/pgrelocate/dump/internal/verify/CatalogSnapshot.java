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
import java.util.concurrent.CompletableFuture;
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
     * Rows fetched at a time: a cursor keeps at most this many of a query's rows in the driver, not all of them.
     */
    private static final int FETCH = 1000;

    /** One catalog query's objects, in its row order. */
    private record Part(List<ObjectKey> keys, List<Attributes> values) {
    }

    /**
     * Reads everything on one of {@code pool}'s sessions, query after query. Not spread over the side's sessions:
     * each session warms its own catalog caches for every table, which on this 2-core machine cost more than the
     * overlap saved (10,000 tables, quiet: 7.4 s on two sessions a side against 4.7 s on one).
     *
     * @param excluded schemas not compared (pgrelocate's state schema on the target)
     * @param roles    roles that exist on both servers: privileges are compared only for them
     * @param withData whether to list the tables and sequences whose contents are compared too (a schema-only
     *                 verify, as a cutover's, leaves them empty: sizing 10,000 tables is a file look-up each)
     */
    static CompletableFuture<CatalogSnapshot> read(SidePool pool, Collection<String> excluded,
                                                   Collection<String> roles, boolean withData) {
        Map<String, String> params = Map.of(":excluded", array(excluded), ":roles", array(roles));
        return pool.submit("the catalogs", c -> {
            Map<String, String> shared = new HashMap<>();
            Map<ObjectKey, Map<String, String>> objects = new LinkedHashMap<>();
            for (String query : CatalogQueries.ALL) {
                Part part = part(c, bind(query, params), shared);
                for (int r = 0; r < part.keys().size(); r++) {
                    objects.put(part.keys().get(r), part.values().get(r));
                }
            }
            CatalogSnapshot d = withData ? data(c, params) : new CatalogSnapshot(Map.of(), Map.of(), List.of());
            return new CatalogSnapshot(Collections.unmodifiableMap(objects), d.tables(), d.sequences());
        });
    }

    /** One query's rows, fetched {@link #FETCH} at a time in a read-only transaction of its own. */
    private static Part part(Connection c, String sql, Map<String, String> pool) throws SQLException {
        List<ObjectKey> keys = new ArrayList<>();
        List<Attributes> values = new ArrayList<>();
        c.setAutoCommit(false);
        SQLException failure = null;
        try (Statement st = c.createStatement()) {
            st.setFetchSize(FETCH);
            try (ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                String[] names = new String[md.getColumnCount() - 2];
                for (int i = 0; i < names.length; i++) {
                    names[i] = md.getColumnLabel(i + 3);
                }
                while (rs.next()) {
                    String[] row = new String[names.length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = shared(pool, rs.getString(i + 3));
                    }
                    keys.add(new ObjectKey(shared(pool, rs.getString(1)), rs.getString(2)));
                    values.add(new Attributes(names, row));
                }
            }
        } catch (SQLException e) {
            failure = e;
            throw e;
        } finally {
            endTransaction(c, failure);
        }
        return new Part(keys, values);
    }

    /** Ends a query's read-only transaction; a failure to do so after the query failed is added to that failure. */
    private static void endTransaction(Connection c, SQLException failure) throws SQLException {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /** The tables and sequences whose contents are compared (the objects left empty). */
    private static CatalogSnapshot data(Connection c, Map<String, String> params) throws SQLException {
        Map<TableRef, DataTable> tables = new LinkedHashMap<>();
        List<TableRef> sequences = new ArrayList<>();
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
        return new CatalogSnapshot(Map.of(), Collections.unmodifiableMap(tables), List.copyOf(sequences));
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
