package io.pgrelocate.replication.internal;

import org.postgresql.core.PGStream;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * The messages of the frontend/backend protocol a replication stream needs around its CopyBoth exchange
 * (PostgreSQL docs, "Message Formats"), on a pgjdbc protocol stream. Stateless; each call on one stream from
 * one thread at a time.
 */
final class CopyBoth {
    private CopyBoth() {
    }

    /** A simple Query message. */
    static void query(PGStream pg, String sql) throws IOException {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        pg.sendChar('Q');
        pg.sendInteger4(4 + text.length + 1);
        pg.send(text);
        pg.sendChar(0);
        pg.flush();
    }

    /** Reads the answer to START_REPLICATION up to CopyBothResponse; an error is the server's, after ReadyForQuery. */
    static void awaitCopyBoth(PGStream pg) throws IOException, SQLException {
        SQLException error = null;
        while (true) {
            int type = pg.receiveChar();
            int len = pg.receiveInteger4();
            switch (type) {
                case 'W' -> {
                    pg.skip(len - 4);
                    if (error == null) {
                        return;
                    }
                }
                case 'E' -> error = serverError(pg, len);
                case 'Z' -> {
                    pg.skip(len - 4);
                    throw error != null ? error : new PSQLException("START_REPLICATION ended without streaming",
                            PSQLState.PROTOCOL_VIOLATION);
                }
                case 'N', 'S', 'C' -> pg.skip(len - 4);
                default -> throw protocol("answer to START_REPLICATION", type);
            }
        }
    }

    /** An Int64 of the protocol. */
    static long readLong(PGStream pg) throws IOException {
        return ((long) pg.receiveInteger4() << 32) | (pg.receiveInteger4() & 0xFFFFFFFFL);
    }

    /** The ErrorResponse of {@code len} bytes being read, as pgjdbc raises it: its SQLSTATE kept. */
    static SQLException serverError(PGStream pg, int len) throws IOException {
        return new PSQLException(new ServerErrorMessage(pg.receiveErrorString(len - 4)));
    }

    static SQLException protocol(String where, int type) {
        return new PSQLException("unexpected message type '" + (char) type + "' in the " + where,
                PSQLState.PROTOCOL_VIOLATION);
    }

    /** An I/O failure on the stream, with the SQLSTATE (08006) pgjdbc's replication stream gave it. */
    static SQLException connectionFailure(IOException e) {
        return new PSQLException("Database connection failed when reading from copy", PSQLState.CONNECTION_FAILURE, e);
    }

    /** CopyDone, then everything the server still sends is read past up to ReadyForQuery. */
    static void endCopy(PGStream pg) throws IOException {
        pg.sendChar('c');
        pg.sendInteger4(4);
        pg.flush();
        while (true) {
            int type = pg.receiveChar();
            int len = pg.receiveInteger4();
            pg.skip(len - 4);
            if (type == 'Z') {
                return;
            }
        }
    }
}
