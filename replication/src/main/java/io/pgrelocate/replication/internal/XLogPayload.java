package io.pgrelocate.replication.internal;

import org.postgresql.core.PGStream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads and decodes the pgoutput message an XLogData frame carries, from the protocol stream. Not thread-safe:
 * the stream's reader thread only.
 */
final class XLogPayload implements AutoCloseable {
    private final PGStream pg;

    XLogPayload(PGStream pg) {
        this.pg = pg;
    }

    /** The message of {@code length} bytes that comes next on the stream. */
    StreamSession.Received read(int length) throws IOException {
        byte[] bytes = new byte[length];
        pg.receive(bytes, 0, length);
        return new StreamSession.Received(PgOutputDecoder.decode(ByteBuffer.wrap(bytes)), length);
    }

    @Override
    public void close() {
        // nothing held yet
    }
}
