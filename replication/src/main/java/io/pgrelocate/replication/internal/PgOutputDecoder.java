package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes pgoutput protocol version 1 messages (PostgreSQL docs, "Logical Replication Message Formats").
 * Stateless and thread-safe.
 */
public final class PgOutputDecoder {
    private PgOutputDecoder() {
    }

    /** @param buf the message, on a heap array the decoded rows keep (as slices) and nobody changes afterwards */
    public static PgOutputMessage decode(ByteBuffer buf) {
        if (!buf.hasArray() || buf.isReadOnly()) {
            ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
            copy.put(buf).flip();
            buf = copy;
        }
        char type = (char) buf.get();
        return switch (type) {
            case 'B' -> new PgOutputMessage.Begin(Lsn.of(buf.getLong()), buf.getLong(), Integer.toUnsignedLong(buf.getInt()));
            case 'C' -> {
                buf.get(); // flags, unused
                yield new PgOutputMessage.Commit(Lsn.of(buf.getLong()), Lsn.of(buf.getLong()), buf.getLong());
            }
            case 'R' -> relation(buf);
            case 'I' -> {
                int rel = buf.getInt();
                expect(buf, 'N');
                yield new PgOutputMessage.Insert(rel, tuple(buf));
            }
            case 'U' -> update(buf);
            case 'D' -> {
                int rel = buf.getInt();
                char kind = (char) buf.get();
                yield new PgOutputMessage.Delete(rel, tuple(buf), kind == 'O');
            }
            case 'T' -> truncate(buf);
            case 'O', 'Y', 'M' -> new PgOutputMessage.Ignored(type);
            default -> throw new PgRelocateException(ErrorCode.REPLICATION_FAILED,
                    "unexpected pgoutput message type '" + type + "' (protocol version 1 was requested)");
        };
    }

    private static PgOutputMessage relation(ByteBuffer buf) {
        int id = buf.getInt();
        String schema = string(buf);
        String name = string(buf);
        char identity = (char) buf.get();
        int n = buf.getShort();
        List<PgOutputMessage.Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean key = (buf.get() & 1) != 0;
            String col = string(buf);
            long typeOid = Integer.toUnsignedLong(buf.getInt());
            columns.add(new PgOutputMessage.Column(col, key, typeOid, buf.getInt()));
        }
        return new PgOutputMessage.Relation(id, schema, name, identity, columns);
    }

    private static PgOutputMessage update(ByteBuffer buf) {
        int rel = buf.getInt();
        char kind = (char) buf.get();
        PgOutputMessage.Tuple old = null;
        boolean full = false;
        if (kind == 'K' || kind == 'O') {
            full = kind == 'O';
            old = tuple(buf);
            kind = (char) buf.get();
        }
        if (kind != 'N') {
            throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "malformed pgoutput Update message");
        }
        return new PgOutputMessage.Update(rel, old, full, tuple(buf));
    }

    private static PgOutputMessage truncate(ByteBuffer buf) {
        int n = buf.getInt();
        int options = buf.get();
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(buf.getInt());
        }
        return new PgOutputMessage.Truncate(ids, (options & 1) != 0, (options & 2) != 0);
    }

    /**
     * A row as slices of the message's array: no array per value, so what the collector traces and copies of a
     * wide row is a few objects, and a value that only travels on (COPY, a multi-row statement's arrays) is
     * copied once, where it is written.
     */
    private static PgOutputMessage.Tuple tuple(ByteBuffer buf) {
        int n = buf.getShort();
        int[] slices = new int[2 * n];
        boolean[] unchanged = new boolean[n];
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char kind = (char) buf.get();
            switch (kind) {
                case 'n' -> slices[2 * i] = -1;
                case 'u' -> {
                    slices[2 * i] = -1;
                    unchanged[i] = true;
                }
                case 't' -> {
                    int len = buf.getInt();
                    if (len < 0 || len > buf.remaining()) {
                        throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "malformed pgoutput message: a "
                                + "value of " + len + " bytes with " + buf.remaining() + " left");
                    }
                    slices[2 * i] = buf.arrayOffset() + buf.position();
                    slices[2 * i + 1] = len;
                    buf.position(buf.position() + len);
                    bytes += len;
                }
                default -> throw new PgRelocateException(ErrorCode.REPLICATION_FAILED,
                        "unexpected pgoutput column kind '" + kind + "'");
            }
        }
        return new PgOutputMessage.Tuple(buf.array(), slices, unchanged, bytes);
    }

    private static String string(ByteBuffer buf) {
        int start = buf.position();
        int end = start;
        while (buf.get(end) != 0) {
            end++;
        }
        String s = new String(buf.array(), buf.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        buf.position(end + 1);
        return s;
    }

    private static void expect(ByteBuffer buf, char c) {
        char got = (char) buf.get();
        if (got != c) {
            throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "malformed pgoutput message: expected '" + c
                    + "', got '" + got + "'");
        }
    }
}
