package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import org.postgresql.core.PGStream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads and decodes the pgoutput message an XLogData frame carries, from the protocol stream. A message that fits
 * comfortably in the heap is read whole and decoded as it always was ({@link PgOutputDecoder}). A bigger row change
 * is parsed as it arrives, and each of its values past {@link #SPILL_BYTES} goes to a temporary file in chunks
 * ({@link SpillFiles}) instead of an array: pgoutput protocol 1 sends values as text, so a 200 MB bytea is a
 * 400 MB message, which no 256 MB heap can hold. Not thread-safe: the stream's reader thread only.
 */
final class XLogPayload implements AutoCloseable {
    /** Messages up to this are read whole. */
    static final int WHOLE_BYTES = 8 << 20;
    /** In a bigger message, values past this go to a file... */
    static final int SPILL_BYTES = 1 << 20;
    /** ...and so do those past this once the message holds {@link #WHOLE_BYTES} of heap (a row of many values). */
    private static final int SMALL_BYTES = 64 << 10;
    /**
     * An old row's values (REPLICA IDENTITY FULL) find the row on the target, so the apply needs them in memory:
     * only one past this, which a 256 MB heap could not compare anyway, goes to a file (and is refused there).
     */
    static final int OLD_SPILL_BYTES = 64 << 20;

    private final PGStream pg;
    private final SpillFiles files = new SpillFiles();
    /** Bytes of the current message not read yet. */
    private long left;
    private int heapBytes;
    private long fileBytes;

    XLogPayload(PGStream pg) {
        this.pg = pg;
    }

    /** The message of {@code length} bytes that comes next on the stream. */
    StreamSession.Received read(int length) throws IOException {
        if (length <= WHOLE_BYTES) {
            return new StreamSession.Received(PgOutputDecoder.decode(ByteBuffer.wrap(bytes(length))), length, 0);
        }
        left = length;
        heapBytes = 256;
        fileBytes = 0;
        char type = (char) u8();
        PgOutputMessage m = switch (type) {
            case 'I' -> {
                int rel = i32();
                expect('N');
                yield new PgOutputMessage.Insert(rel, tuple(false));
            }
            case 'U' -> update();
            case 'D' -> {
                int rel = i32();
                char kind = (char) u8();
                yield new PgOutputMessage.Delete(rel, tuple(true), kind == 'O');
            }
            default -> whole(type);
        };
        if (left != 0) {
            SpilledValue.release(m);
            throw malformed("a " + type + " message of " + length + " bytes left " + left + " unread");
        }
        return new StreamSession.Received(m, heapBytes, fileBytes);
    }

    /** Another kind of message, big for its kind (a Relation of many columns): read whole after its type byte. */
    private PgOutputMessage whole(char type) throws IOException {
        byte[] b = new byte[(int) left + 1];
        b[0] = (byte) type;
        pg.receive(b, 1, (int) left);
        left = 0;
        heapBytes = b.length;
        return PgOutputDecoder.decode(ByteBuffer.wrap(b));
    }

    private PgOutputMessage update() throws IOException {
        int rel = i32();
        char kind = (char) u8();
        PgOutputMessage.Tuple old = null;
        boolean full = false;
        if (kind == 'K' || kind == 'O') {
            full = kind == 'O';
            old = tuple(true);
            kind = (char) u8();
        }
        if (kind != 'N') {
            if (old != null) {
                old.release();
            }
            throw malformed("an Update message without its new row");
        }
        return new PgOutputMessage.Update(rel, old, full, tuple(false));
    }

    /** @param old an old row or key, whose values the apply compares */
    private PgOutputMessage.Tuple tuple(boolean old) throws IOException {
        int n = u16();
        byte[][] values = new byte[n][];
        boolean[] unchanged = new boolean[n];
        SpilledValue[] spilled = new SpilledValue[n];
        boolean any = false;
        try {
            for (int i = 0; i < n; i++) {
                char kind = (char) u8();
                switch (kind) {
                    case 'n' -> values[i] = null;
                    case 'u' -> unchanged[i] = true;
                    case 't' -> {
                        int len = i32();
                        if (len < 0 || len > left) {
                            throw malformed("a value of " + len + " bytes in a message with " + left + " left");
                        }
                        if (old ? len > OLD_SPILL_BYTES
                                : len > SPILL_BYTES || len > SMALL_BYTES && heapBytes + len > WHOLE_BYTES) {
                            spilled[i] = files.write(pg, len);
                            left -= len;
                            fileBytes += len;
                            any = true;
                        } else {
                            values[i] = bytes(len);
                            heapBytes += len + 48;
                        }
                    }
                    default -> throw malformed("unexpected pgoutput column kind '" + kind + "'");
                }
            }
        } catch (IOException | RuntimeException e) {
            new PgOutputMessage.Tuple(values, unchanged, spilled).release();
            throw e;
        }
        return new PgOutputMessage.Tuple(values, unchanged, any ? spilled : null);
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = new byte[n];
        pg.receive(b, 0, n);
        left -= n;
        return b;
    }

    private int u8() throws IOException {
        left -= 1;
        return pg.receiveChar();
    }

    private int u16() throws IOException {
        left -= 2;
        return pg.receiveInteger2();
    }

    private int i32() throws IOException {
        left -= 4;
        return pg.receiveInteger4();
    }

    private void expect(char c) throws IOException {
        char got = (char) u8();
        if (got != c) {
            throw malformed("expected '" + c + "', got '" + got + "'");
        }
    }

    private static PgRelocateException malformed(String what) {
        return new PgRelocateException(ErrorCode.REPLICATION_FAILED, "malformed pgoutput message: " + what);
    }

    /** Removes every file this session's messages spilled, applied or not. */
    @Override
    public void close() {
        files.close();
    }
}
