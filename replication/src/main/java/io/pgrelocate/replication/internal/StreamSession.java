package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * One START_REPLICATION on a replication connection: pgoutput protocol 1 for our publication. Confirms to
 * the server only what the caller says is durable on the target. Not thread-safe.
 */
final class StreamSession implements AutoCloseable {
    private final Connection connection;
    private final PGReplicationStream stream;
    private AutoCloseable watch;
    /** Written by the apply thread, read by the reader thread, which sends it. */
    private volatile Lsn confirmed = Lsn.INVALID;
    /** The confirmed position last sent at once (reader thread only). */
    private Lsn reported = Lsn.INVALID;

    private StreamSession(Connection connection, PGReplicationStream stream) {
        this.connection = connection;
        this.stream = stream;
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
            PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(slot)
                    .withStartPosition(LogSequenceNumber.valueOf(start.value()))
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", publication)
                    .withStatusInterval(1, TimeUnit.SECONDS)
                    .start();
            return new StreamSession(replication, stream);
        } catch (SQLException | RuntimeException e) {
            replication.close();
            throw e;
        }
    }

    /** The next message's payload, or null when none is waiting. */
    ByteBuffer poll() throws SQLException {
        return stream.readPending();
    }

    /** The server position last heard of: the last message's, or a keepalive's end of WAL. */
    Lsn lastReceived() {
        return Lsn.of(stream.getLastReceiveLSN().asLong());
    }

    /** Tells the server that everything up to {@code lsn} is durable on the target (sent with the next status). */
    void confirm(Lsn lsn) {
        if (lsn.isAfter(confirmed)) {
            confirmed = lsn;
            LogSequenceNumber l = LogSequenceNumber.valueOf(lsn.value());
            stream.setFlushedLSN(l);
            stream.setAppliedLSN(l);
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
            stream.forceUpdateStatus();
        }
    }

    /** Sends the status now and asks the server to answer (it then reports its end of WAL). */
    void sendStatus() throws SQLException {
        stream.forceUpdateStatus();
    }

    /**
     * Closes the connection's socket without a word to the server, after a failure that may have left the
     * protocol halfway through a message. Nothing more is confirmed; {@link #close()} then does nothing more.
     */
    void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // it is being given up on
        }
    }

    @Override
    public void close() {
        // a graceful end waits for the server's answer: on a frozen path only the watch's abort ends that wait
        try {
            if (!connection.isClosed() && !stream.isClosed()) {
                stream.forceUpdateStatus();
                stream.close();
            }
        } catch (SQLException ignored) {
            // a broken stream is closed with its connection
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to do
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception ignored) {
                // a guard's close only sets a flag
            }
        }
    }
}
