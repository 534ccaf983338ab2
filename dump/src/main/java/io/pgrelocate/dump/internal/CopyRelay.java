package io.pgrelocate.dump.internal;

import org.postgresql.core.PGStream;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Relays the rows of a COPY TO STDOUT from the source's protocol stream into a COPY FROM STDIN, without an array
 * per row: a CopyData message ('d', Int32 length, bytes) read from the source has its bytes appended to a batch
 * that goes out as one CopyData message when full, so a row may span batches and memory stays one batch whatever
 * the row's size. pgjdbc's {@code CopyOut.readFromCopy} allocated an array per row, which with its locking made
 * most of the JVM's copy CPU. Only CopyData messages are read: the relay stops in front of any other (CopyDone,
 * an ErrorResponse), unread, so pgjdbc reads the end of the COPY (CopyDone, CommandComplete, ReadyForQuery, or
 * the error) and its connection state (transaction status, the copy's lock) stays its own.
 * Counts the messages (one per row, plus the binary trailer) and their bytes. Not thread-safe.
 */
final class CopyRelay {
    /** Where a COPY's bytes are read from; {@link #of(PGStream)} on a connection, a buffered stream in tests. */
    interface Wire {
        /** The next byte, not consumed; blocks until it arrives. */
        int peek() throws IOException;

        int read() throws IOException;

        int readInt4() throws IOException;

        /** Reads exactly {@code len} bytes. */
        void read(byte[] into, int off, int len) throws IOException;

        static Wire of(PGStream pg) {
            return new Wire() {
                @Override
                public int peek() throws IOException {
                    return pg.peekChar();
                }

                @Override
                public int read() throws IOException {
                    return pg.receiveChar();
                }

                @Override
                public int readInt4() throws IOException {
                    return pg.receiveInteger4();
                }

                @Override
                public void read(byte[] into, int off, int len) throws IOException {
                    pg.receive(into, off, len);
                }
            };
        }
    }

    /** Where a batch goes: one CopyData message of the target's COPY FROM STDIN. */
    interface Sink {
        void write(byte[] data, int off, int len) throws SQLException;
    }

    private static final int COPY_DATA = 'd';

    private final Wire in;
    private final Sink out;
    private final byte[] batch;
    private int batched;
    /** Bytes of the current CopyData message still to read. */
    private int remaining;
    private long messages;
    private long bytes;

    /** @param batch where rows gather; its length is the largest message sent, and a copy thread may reuse it */
    CopyRelay(Wire in, Sink out, byte[] batch) {
        this.in = in;
        this.out = out;
        this.batch = batch;
    }

    /**
     * Relays until {@code budget} messages have begun, a batch went out, or the next message is not CopyData.
     *
     * @return false when the next message is not CopyData (it is left unread and the last batch was sent)
     * @throws IOException when the source's stream failed: its protocol state is then unknown
     */
    boolean relay(int budget) throws IOException, SQLException {
        int begun = 0;
        while (true) {
            if (remaining == 0) {
                if (begun == budget) {
                    return true;
                }
                if (in.peek() != COPY_DATA) {
                    flush();
                    return false;
                }
                in.read();
                remaining = in.readInt4() - 4;
                if (remaining < 0) {
                    throw new IOException("a CopyData message of negative length " + remaining);
                }
                messages++;
                begun++;
            }
            int n = Math.min(remaining, batch.length - batched);
            in.read(batch, batched, n);
            batched += n;
            remaining -= n;
            bytes += n;
            if (batched == batch.length) {
                flush();
                return true;
            }
        }
    }

    /**
     * Sends on a row pgjdbc read (after a notice the relay left to it), after every batched byte, and counts it.
     *
     * @return true, to read on
     */
    boolean forward(byte[] row) throws SQLException {
        flush();
        out.write(row, 0, row.length);
        messages++;
        bytes += row.length;
        return true;
    }

    private void flush() throws SQLException {
        if (batched > 0) {
            out.write(batch, 0, batched);
            batched = 0;
        }
    }

    /** CopyData messages read so far (one per row; a binary COPY's trailer is one more). */
    long messages() {
        return messages;
    }

    /** Bytes of CopyData read so far. */
    long bytes() {
        return bytes;
    }
}
