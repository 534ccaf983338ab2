package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A run of collapsed inserts into one table as one {@code COPY ... FROM STDIN} in text format, written from
 * the bytes pgoutput sent: no String per value and no bound parameter, and on the target one COPY instead of
 * an INSERT per row. pgoutput's values are the output functions' text, which is what COPY's text format reads
 * once tab, newline, carriage return and backslash are escaped. COPY writes identity columns, including
 * GENERATED ALWAYS ones, as INSERT with {@code OVERRIDING SYSTEM VALUE} does, and fires triggers the same way,
 * so under {@code session_replication_role = replica} none. Not thread-safe.
 */
final class CopyInserts {
    /** Fewer rows go out as batched INSERTs: a COPY costs a round trip more than joining the batch. */
    static final int MIN_ROWS = 8;
    private static final int CHUNK = 64 * 1024;

    private final CopyManager copy;
    private final byte[] buf = new byte[CHUNK];
    private int n;

    CopyInserts(Connection connection) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
    }

    /** Whether every row sends every column (an insert always does; this guards a merged row that would not). */
    static boolean fits(List<PgOutputMessage.Tuple> rows) {
        for (PgOutputMessage.Tuple row : rows) {
            if (!row.complete()) {
                return false;
            }
        }
        return true;
    }

    /** Inserts {@code rows} into {@code r}; a failure (a unique key taken, say) is the server's, with its SQLState. */
    void insert(TargetRelation r, List<PgOutputMessage.Tuple> rows) throws SQLException {
        CopyIn in = begin(r);
        try {
            for (PgOutputMessage.Tuple row : rows) {
                row(in, row);
            }
            end(in, r, rows.size());
        } finally {
            cancel(in);
        }
    }

    /** Starts a COPY into every column of {@code r}; rows follow by {@link #row}, and {@link #end} sends them. */
    CopyIn begin(TargetRelation r) throws SQLException {
        String sql = r.sql(new TargetRelation.Shape('C', false, 0, 0), () -> {
            StringBuilder cols = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                cols.append(i == 0 ? "" : ", ").append(r.column(i));
            }
            return "COPY " + r.qualified() + " (" + cols + ") FROM STDIN";
        });
        CopyIn in = copy.copyIn(sql);
        n = 0;
        return in;
    }

    /** Writes one complete row; at most a 64 kB buffer is held before it goes to the server. */
    void row(CopyIn in, PgOutputMessage.Tuple row) throws SQLException {
        for (int i = 0; i < row.size(); i++) {
            value(in, row.array(i), row.offset(i), row.length(i), i == 0 ? -1 : '\t');
        }
        put(in, (byte) '\n');
    }

    /** Ends the COPY, which must have written {@code rows} rows. */
    void end(CopyIn in, TargetRelation r, long rows) throws SQLException {
        in.writeToCopy(buf, 0, n);
        n = 0;
        long copied = in.endCopy();
        if (copied != rows) {
            throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "COPY into " + r.display() + " wrote "
                    + copied + " rows of " + rows);
        }
    }

    /** Abandons {@code in} if it is still open (after a failure): the server rolls back what it wrote. */
    static void cancel(CopyIn in) throws SQLException {
        if (in != null && in.isActive()) {
            in.cancelCopy();
        }
    }

    /** Writes the value in {@code v[offset, offset + length)}, escaped; null is NULL. */
    private void value(CopyIn in, byte[] v, int offset, int length, int separator) throws SQLException {
        if (separator >= 0) {
            put(in, (byte) separator);
        }
        if (v == null) {
            put(in, (byte) '\\');
            put(in, (byte) 'N');
            return;
        }
        int from = offset;
        int to = offset + length;
        for (int j = offset; j < to; j++) {
            byte b = v[j];
            if (b == '\\' || b == '\t' || b == '\n' || b == '\r') {
                write(in, v, from, j - from);
                escaped(in, b == '\\' ? '\\' : b == '\t' ? 't' : b == '\n' ? 'n' : 'r');
                from = j + 1;
            }
        }
        write(in, v, from, to - from);
    }

    private void write(CopyIn in, byte[] v, int from, int len) throws SQLException {
        while (len > 0) {
            if (n == buf.length) {
                in.writeToCopy(buf, 0, n);
                n = 0;
            }
            int k = Math.min(len, buf.length - n);
            System.arraycopy(v, from, buf, n, k);
            n += k;
            from += k;
            len -= k;
        }
    }

    private void escaped(CopyIn in, char c) throws SQLException {
        put(in, (byte) '\\');
        put(in, (byte) c);
    }

    private void put(CopyIn in, byte b) throws SQLException {
        if (n == buf.length) {
            in.writeToCopy(buf, 0, n);
            n = 0;
        }
        buf[n++] = b;
    }
}
