package io.pgrelocate.replication.internal;

import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One column of many rows as a {@code text[]} parameter in the array's binary format, written from the bytes
 * pgoutput sent: a value of text's binary form is its bytes, so no String is made per value and nothing is
 * escaped (pgjdbc sends it binary, {@code text[]} being among its binary types; {@link #getValue()} is the text
 * form it would fall back to). Immutable once built.
 */
final class TextArray extends PGobject implements PGBinaryObject {
    private static final long serialVersionUID = 1L;
    private static final int TEXT_OID = 25;

    private final transient List<PgOutputMessage.Tuple> rows;
    private final int from;
    private final int to;
    private final int column;

    /** Column {@code column} of {@code rows[from, to)}. */
    TextArray(List<PgOutputMessage.Tuple> rows, int from, int to, int column) {
        this.rows = rows;
        this.from = from;
        this.to = to;
        this.column = column;
        setType("text[]");
    }

    @Override
    public int lengthInBytes() {
        int n = 20;
        for (int k = from; k < to; k++) {
            n += 4 + rows.get(k).length(column);
        }
        return n;
    }

    @Override
    public void toBytes(byte[] bytes, int offset) {
        boolean nulls = false;
        for (int k = from; k < to && !nulls; k++) {
            nulls = rows.get(k).array(column) == null;
        }
        int p = putInt(bytes, offset, 1);
        p = putInt(bytes, p, nulls ? 1 : 0);
        p = putInt(bytes, p, TEXT_OID);
        p = putInt(bytes, p, to - from);
        p = putInt(bytes, p, 1);
        for (int k = from; k < to; k++) {
            PgOutputMessage.Tuple row = rows.get(k);
            byte[] v = row.array(column);
            if (v == null) {
                p = putInt(bytes, p, -1);
            } else {
                int length = row.length(column);
                p = putInt(bytes, p, length);
                System.arraycopy(v, row.offset(column), bytes, p, length);
                p += length;
            }
        }
    }

    @Override
    public void setByteValue(byte[] value, int offset) {
        throw new UnsupportedOperationException("a parameter only");
    }

    /** The array literal, for a connection that sends {@code text[]} as text. */
    @Override
    public String getValue() {
        StringBuilder s = new StringBuilder("{");
        for (int k = from; k < to; k++) {
            byte[] v = rows.get(k).raw(column);
            s.append(k == from ? "" : ",");
            if (v == null) {
                s.append("NULL");
                continue;
            }
            s.append('"');
            for (char c : new String(v, StandardCharsets.UTF_8).toCharArray()) {
                s.append(c == '"' || c == '\\' ? "\\" : "").append(c);
            }
            s.append('"');
        }
        return s.append('}').toString();
    }

    private static int putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }
}
