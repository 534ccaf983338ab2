package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table's row count and an order-independent checksum of its rows, computed by the server itself in one
 * aggregate (no row reaches the JVM, so memory does not grow with the table).
 *
 * <p>Each row is turned into text (its columns in name order, so that column order does not matter), hashed
 * with md5, and the two 64-bit halves of the hash are summed over all rows as numeric (no overflow, no
 * cancellation: unlike XOR, a row present twice counts twice). A changed, missing or extra row changes the
 * sums unless two different multisets of rows sum to the same 128 bits, which rows that are not built to
 * collide do not do. Row text is stable across major versions because every verify session uses the same
 * output settings ({@link VerifySession}).
 */
record TableChecksum(long rows, String sum) {
    /** Sums the two 64-bit halves of the md5 hashes {@code h} of the rows of {@code from}. */
    private static final String SUMS = "SELECT count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint"
            + "::numeric), 0)::text || '/' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)"
            + "::text FROM ";

    static TableChecksum of(Connection c, TableRef table, List<String> columns) throws SQLException {
        String row = columns.stream().map(col -> "t." + Sql.ident(col)).collect(Collectors.joining(", ", "ROW(", ")"));
        return query(c, SUMS + "(SELECT md5(" + row + "::text) AS h FROM ONLY " + table.sql() + " t) s");
    }

    /** How many large objects there are (readable by anyone, unlike their contents). */
    static long largeObjectCount(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_largeobject_metadata")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The large objects' checksum, over each one's OID (kept by a copy, as pg_dump keeps it) and content;
     * {@code lo_get} needs the right to read them.
     */
    static TableChecksum largeObjects(Connection c) throws SQLException {
        return query(c, SUMS + "(SELECT md5(m.oid::text || ':' || md5(lo_get(m.oid))) AS h "
                + "FROM pg_largeobject_metadata m) s");
    }

    private static TableChecksum query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new TableChecksum(rs.getLong(1), rs.getString(2));
        }
    }

    /** {@code last_value/is_called} of a sequence. */
    static String sequenceValue(Connection c, TableRef sequence) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT last_value::text || ', is_called ' || is_called::text FROM "
                     + sequence.sql())) {
            rs.next();
            return "last_value " + rs.getString(1);
        }
    }
}
