package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.spi.Sql;

import java.math.BigDecimal;
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
 * <p>Each row is turned into text (its columns in name order, so that column order does not matter) and
 * hashed twice to 64 bits with {@code hashtextextended} (seeds 0 and 1), and both hashes are summed over all
 * rows ({@code sum(bigint)} is exact: numeric, no overflow). Summing, unlike XOR, counts a row present twice
 * twice. A changed, missing or extra row changes the sums unless its two hashes collide at once, which rows
 * not built to collide do not do. {@code hashtextextended} is the hash that hash partitioning stores rows by,
 * so PostgreSQL keeps it the same across major versions; it hashes the bytes under the deterministic "C"
 * collation. It costs about two thirds of md5 here (2M rows: 11-12 s against 17 s, of which 8-10 s is
 * printing the rows). Row text is the same across major versions because every verify session uses the same
 * output settings ({@link VerifySession}).
 */
record TableChecksum(long rows, BigDecimal sum0, BigDecimal sum1) {
    static final TableChecksum EMPTY = new TableChecksum(0, BigDecimal.ZERO, BigDecimal.ZERO);

    /** Counts the rows {@code r} (text) of the subquery that follows, and sums their two 64-bit hashes. */
    private static final String SUMS = "SELECT count(*), coalesce(sum(hashtextextended(r COLLATE \"C\", 0)), 0), "
            + "coalesce(sum(hashtextextended(r COLLATE \"C\", 1)), 0) FROM ";

    /**
     * The checksum of the rows in {@code slice} of the table: counts and sums add up, so each server may
     * split its own table by its own block ranges.
     */
    static TableChecksum of(Connection c, TableRef table, List<String> columns, BlockSlice slice)
            throws SQLException {
        String row = columns.stream().map(col -> "t." + Sql.ident(col)).collect(Collectors.joining(", ", "ROW(", ")"));
        return query(c, SUMS + "(SELECT " + row + "::text AS r FROM ONLY " + table.sql() + " t" + slice.where()
                + ") s");
    }

    /**
     * The checksum of the rows an extension configuration table's {@code condition} (from the server's own
     * {@code pg_extension.extcondition}, appended after the table as pg_dump appends it) selects.
     */
    static TableChecksum filtered(Connection c, TableRef table, List<String> columns, String condition)
            throws SQLException {
        String row = columns.stream().map(col -> "t." + Sql.ident(col)).collect(Collectors.joining(", ", "ROW(", ")"));
        return query(c, SUMS + "(SELECT " + row + "::text AS r FROM (SELECT * FROM ONLY " + table.sql() + " "
                + condition + ") t) s");
    }

    TableChecksum plus(TableChecksum other) {
        return new TableChecksum(rows + other.rows, sum0.add(other.sum0), sum1.add(other.sum1));
    }

    boolean sameContent(TableChecksum other) {
        return rows == other.rows && sum0.compareTo(other.sum0) == 0 && sum1.compareTo(other.sum1) == 0;
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
        return query(c, SUMS + "(SELECT m.oid::text || ':' || md5(lo_get(m.oid)) AS r "
                + "FROM pg_largeobject_metadata m) s");
    }

    private static TableChecksum query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new TableChecksum(rs.getLong(1), rs.getBigDecimal(2), rs.getBigDecimal(3));
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
