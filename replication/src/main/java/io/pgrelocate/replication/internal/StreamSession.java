package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.internal.wire.PgWire;
import io.pgrelocate.core.spi.Sql;
import org.postgresql.core.PGStream;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One START_REPLICATION on a replication connection: pgoutput protocol 1 for our publication, spoken on the
 * protocol stream of the connection pgjdbc opened ({@link PgWire}), so that each message is read as it arrives
 * (PostgreSQL docs, "Streaming Replication Protocol"). Confirms to the server only what the caller says is
 * durable on the target, with the status updates pgjdbc's replication stream sent (every second, and at once
 * when a keepalive asks), except pgjdbc's automatic flush: on a keepalive, it also reported the server's end of
 * WAL as flushed once the last message's start was confirmed, but a message's start is not its transaction's
 * commit. A keepalive in the middle of a long transaction (the walsender sends one when we were silent for half
 * its timeout, e.g. while the reader waited for a slow target) then confirmed a transaction committed before
 * it and still waiting in our queue: a kill at that moment lost it. The idle marker the reader queues
 * ({@link StreamReader}) advances the slot of an idle stream instead, once what came before it is applied.
 * Not thread-safe: one reader thread; {@link #confirm} and {@link #confirmed} from any.
 */
final class StreamSession implements AutoCloseable {
    private static final long STATUS_INTERVAL_NANOS = 1_000_000_000L;
    /** Microseconds between 1970-01-01 and 2000-01-01, PostgreSQL's epoch. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** A decoded message, the bytes of heap it holds and those it wrote to temporary files. */
    record Received(PgOutputMessage message, int heapBytes, long fileBytes) {
    }

    private final Connection connection;
    private final PGStream pg;
    private final XLogPayload payload;
    /** The socket read timeout pgjdbc set (0 on a replication connection), restored after each timed wait. */
    private final int networkTimeout;
    private AutoCloseable watch;
    /** Written by the apply thread, read by the reader thread, which sends it. */
    private volatile Lsn confirmed = Lsn.INVALID;
    /** The confirmed position last sent at once (reader thread only). */
    private Lsn reported = Lsn.INVALID;
    /** What the reader heard and sent last (reader thread only), as pgjdbc's stream kept them. */
    private Lsn lastReceived;
    private long lastStatus = System.nanoTime() - STATUS_INTERVAL_NANOS;
    private boolean replyAsked;
    /** The protocol state is unknown (an I/O error, a message half read): only the socket can be closed. */
    private boolean broken;

    private StreamSession(Connection connection, PGStream pg, Lsn start, int networkTimeout) {
        this.connection = connection;
        this.pg = pg;
        this.networkTimeout = networkTimeout;
        this.lastReceived = start;
        this.payload = new XLogPayload(pg);
    }

    /** As {@link #start(Connection, String, String, Lsn)}, with {@code watch} aborting the stream if it goes silent. */
    static StreamSession start(Connection replication, String slot, String publication, Lsn start, StallWatch watch)
            throws SQLException {
        StreamSession session = start(replication, slot, publication, start);
        try {
            session.watch = watch.watch(replication);
        } catch (SQLException | RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /**
     * Starts streaming on {@code replication} (which this session then owns) from {@code start}, or from the
     * slot's confirmed position when {@code start} is {@link Lsn#INVALID}.
     */
    static StreamSession start(Connection replication, String slot, String publication, Lsn start)
            throws SQLException {
        try {
            PGStream pg = PgWire.stream(replication);
            int networkTimeout;
            String command = "START_REPLICATION SLOT " + Sql.ident(slot) + " LOGICAL " + start
                    + " (\"proto_version\" '1', \"publication_names\" " + Sql.literal(publication) + ")";
            try {
                // peek at the socket on every poll, as pgjdbc's replication stream has it do
                pg.setMinStreamAvailableCheckDelay(0);
                networkTimeout = pg.getNetworkTimeout();
                CopyBoth.query(pg, command);
                CopyBoth.awaitCopyBoth(pg);
            } catch (IOException e) {
                throw CopyBoth.connectionFailure(e);
            }
            return new StreamSession(replication, pg, start, networkTimeout);
        } catch (SQLException | RuntimeException e) {
            replication.close();
            throw e;
        }
    }

    /**
     * The next message, or null when none is waiting ({@code waitMillis} 0) or none began to arrive within
     * {@code waitMillis}; sends the status when it is due, and waits no longer than that. A keepalive is answered
     * (when asked) and read past, as pgjdbc's {@code readPending} did.
     */
    Received poll(int waitMillis) throws SQLException {
        try {
            while (true) {
                if (replyAsked || System.nanoTime() - lastStatus >= STATUS_INTERVAL_NANOS) {
                    sendStatus(false);
                }
                if (!messageWaiting(waitMillis)) {
                    return null;
                }
                Received r = message();
                if (r != null) {
                    return r;
                }
            }
        } catch (IOException e) {
            broken = true;
            throw CopyBoth.connectionFailure(e);
        } catch (SQLException | RuntimeException | Error e) {
            broken = true;
            throw e;
        }
    }

    /**
     * Whether a message is waiting, after waiting up to {@code waitMillis} (bounded by the next status) for its
     * first byte. The wait is a peek with a socket read timeout, as pgjdbc's {@code hasMessagePending} does with
     * 1 ms: when nothing is buffered, the only read is the socket's for at least one byte, which times out having
     * consumed nothing, and a message is then always read with the timeout restored (a timeout halfway through a
     * message would leave the protocol out of step). So the reader sleeps in the kernel, not in a nap loop.
     */
    private boolean messageWaiting(int waitMillis) throws IOException {
        if (waitMillis <= 0) {
            return pg.hasMessagePending();
        }
        long untilStatus = (lastStatus + STATUS_INTERVAL_NANOS - System.nanoTime()) / 1_000_000L;
        pg.setNetworkTimeout((int) Math.max(1, Math.min(waitMillis, untilStatus)));
        try {
            pg.peekChar();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            pg.setNetworkTimeout(networkTimeout);
        }
    }

    /** One protocol message: a decoded change, or null for a keepalive or a notice. */
    private Received message() throws IOException, SQLException {
        int type = pg.receiveChar();
        int len = pg.receiveInteger4();
        switch (type) {
            case 'd' -> {
                return copyData(len - 4);
            }
            case 'E' -> throw CopyBoth.serverError(pg, len);
            case 'N', 'S' -> {
                pg.skip(len - 4);
                return null;
            }
            case 'c' -> throw new PSQLException("the source ended the replication stream",
                    PSQLState.CONNECTION_FAILURE);
            default -> throw CopyBoth.protocol("replication stream", type);
        }
    }

    private Received copyData(int n) throws IOException, SQLException {
        int kind = pg.receiveChar();
        if (kind == 'k') {
            keepalive(CopyBoth.readLong(pg), CopyBoth.readLong(pg), pg.receiveChar() != 0);
            return null;
        }
        if (kind != 'w') {
            throw CopyBoth.protocol("CopyData", kind);
        }
        Lsn start = Lsn.of(CopyBoth.readLong(pg));
        CopyBoth.readLong(pg); // the server's end of WAL
        CopyBoth.readLong(pg); // its clock
        lastReceived = start;
        return payload.read(n - 25);
    }

    private void keepalive(long walEnd, long clock, boolean reply) {
        Lsn end = Lsn.of(walEnd);
        if (end.isAfter(lastReceived)) {
            lastReceived = end;
        }
        replyAsked |= reply;
    }

    /** The server position last heard of: the last message's start, or a keepalive's end of WAL. */
    Lsn lastReceived() {
        return lastReceived;
    }

    /** Tells the server that everything up to {@code lsn} is durable on the target (sent with the next status). */
    void confirm(Lsn lsn) {
        if (lsn.isAfter(confirmed)) {
            confirmed = lsn;
        }
    }

    Lsn confirmed() {
        return confirmed;
    }

    /**
     * Sends the status now when a position was confirmed since the last time: the slot then advances as soon
     * as the target has committed, not at the next status interval, so the source's view of the lag (and the
     * WAL it keeps) follows the apply closely, as the native apply worker's feedback after each commit does.
     * Only the thread that reads the stream may call this.
     */
    void reportConfirmed() throws SQLException {
        Lsn now = confirmed;
        if (now.isAfter(reported)) {
            reported = now;
            sendStatus();
        }
    }

    /** Sends the status now and asks the server to answer (it then reports its end of WAL). */
    void sendStatus() throws SQLException {
        try {
            sendStatus(true);
        } catch (IOException e) {
            broken = true;
            throw CopyBoth.connectionFailure(e);
        }
    }

    /** A Standby Status Update: received, flushed and applied positions (the last two the same), and our clock. */
    private void sendStatus(boolean askReply) throws IOException {
        Lsn c = confirmed;
        ByteBuffer b = ByteBuffer.allocate(34);
        b.put((byte) 'r').putLong(lastReceived.value()).putLong(c.value()).putLong(c.value())
                .putLong(System.currentTimeMillis() * 1000 - PG_EPOCH_MICROS)
                .put((byte) (askReply || !lastReceived.isValid() ? 1 : 0));
        pg.sendChar('d');
        pg.sendInteger4(4 + 34);
        pg.send(b.array());
        pg.flush();
        lastStatus = System.nanoTime();
        replyAsked = false;
    }

    /**
     * Closes the connection's socket without a word to the server, after a failure that may have left the
     * protocol halfway through a message. Nothing more is confirmed; {@link #close()} then does nothing more.
     */
    void abort() {
        broken = true;
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // it is being given up on
        }
        payload.close();
    }

    @Override
    public void close() {
        // a graceful end waits for the server's answer: on a frozen path only the watch's abort ends that wait
        try {
            if (!broken && !connection.isClosed()) {
                sendStatus(true);
                CopyBoth.endCopy(pg);
            }
        } catch (SQLException | IOException ignored) {
            // a broken stream is closed with its connection
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to do
        }
        payload.close();
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception ignored) {
                // a guard's close only sets a flag
            }
        }
    }

}
