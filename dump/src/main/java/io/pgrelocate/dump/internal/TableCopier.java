package io.pgrelocate.dump.internal;

import io.pgrelocate.core.internal.wire.PgWire;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Streams one {@link CopyTask} from a source connection (inside the snapshot) into a target connection through
 * a {@link CopyRelay}, one batch at a time, so memory stays constant whatever the table's size. pgjdbc starts and
 * ends both COPYs; only the rows in between bypass its per-row API. Not thread-safe.
 */
final class TableCopier {
    /** How often, at most, progress is reported while a table streams. */
    private static final long REPORT_NANOS = 1_000_000_000L;

    /** Receives progress: deltas since the last call; {@code last} on the task's final call. */
    interface Progress {
        void copied(CopyTask task, long rows, long bytes, boolean last);
    }

    private static final int BATCH_BYTES = 64 * 1024;
    /**
     * Each copy thread's batch buffer, reused from table to table: 10,000 small tables would otherwise allocate (and
     * zero) 640 MB of buffers for 5 MB of rows, a garbage collection every few seconds under a 256 MB heap.
     */
    private static final ThreadLocal<byte[]> BATCH = ThreadLocal.withInitial(() -> new byte[BATCH_BYTES]);

    private TableCopier() {
    }

    /**
     * Copies the task and commits it on the target.
     *
     * @param target autocommit off; committed here on success, rolled back on failure
     * @return the number of rows the target accepted
     */
    static long copy(CopyTask task, Connection source, Connection target, Progress progress,
                     java.util.function.BooleanSupplier cancelled) throws SQLException {
        return copy(task, source, target, progress, cancelled, true);
    }

    /**
     * As {@link #copy(CopyTask, Connection, Connection, Progress, java.util.function.BooleanSupplier)}; when not
     * {@code alone}, one of several small tables that share the target transaction: no COPY FREEZE (it needs a
     * TRUNCATE, one more round trip) and no commit, which the caller makes for all of them.
     */
    static long copy(CopyTask task, Connection source, Connection target, Progress progress,
                     java.util.function.BooleanSupplier cancelled, boolean alone) throws SQLException {
        boolean freeze = alone && task.isWhole();
        if (freeze) {
            // TRUNCATE in the same transaction lets COPY FREEZE write rows already frozen, so the target
            // needs no anti-wraparound rewrite of every page later
            try (Statement st = target.createStatement()) {
                st.execute("TRUNCATE ONLY " + task.table().qualified());
            }
        }
        CopyManager out = source.unwrap(PGConnection.class).getCopyAPI();
        CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
        CopyOut copyOut = out.copyOut(task.copyOutSql());
        CopyIn copyIn;
        try {
            copyIn = in.copyIn(task.copyInSql(freeze));
        } catch (SQLException e) {
            cancelQuietly(copyOut);
            throw e;
        }
        long accepted;
        try {
            pump(task, source, copyOut, copyIn, progress, cancelled);
            accepted = copyIn.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancelQuietly(copyOut);
            cancelQuietly(copyIn);
            rollbackQuietly(target);
            throw e;
        } catch (Error e) {
            // an OutOfMemoryError can strike halfway through a message: neither protocol state is known, and
            // ending the COPY by the protocol could wait forever, so the server cancels it and the sockets close
            Sessions.abort(source);
            Sessions.abort(target);
            throw e;
        }
        if (alone) {
            target.commit();
        }
        return accepted;
    }

    private static void pump(CopyTask task, Connection source, CopyOut copyOut, CopyIn copyIn, Progress progress,
                             java.util.function.BooleanSupplier cancelled) throws SQLException {
        // binary COPY puts the 19-byte header in front of the first row and sends the trailer alone, so
        // each message is one row, except the trailer; text COPY sends exactly one row per message.
        // Rows go out gathered into messages of up to BATCH_BYTES: the target handles one CopyData message per
        // batch instead of one per row (about a fifth of the copy time for narrow rows), memory stays bounded
        CopyRelay relay = new CopyRelay(CopyRelay.Wire.of(PgWire.stream(source)), copyIn::writeToCopy, BATCH.get());
        Reporter reporter = new Reporter(task, relay, progress);
        // the relay stops in front of any message but CopyData; pgjdbc reads it: the COPY's end up to
        // ReadyForQuery (so its view of the connection stays right for the next table), the source's error, which it
        // raises, or a notice, which it reads past to the next row, handed back here
        byte[] row;
        do {
            relayRows(relay, source, reporter, cancelled);
        } while ((row = copyOut.readFromCopy()) != null && relay.forward(row));
        reporter.last(task.table().binaryCopy());
    }

    private static void relayRows(CopyRelay relay, Connection source, Reporter reporter,
                                  java.util.function.BooleanSupplier cancelled) throws SQLException {
        try {
            while (relay.relay(1024)) {
                if (cancelled.getAsBoolean()) {
                    throw new CopyCancelledException();
                }
                reporter.due();
            }
        } catch (IOException e) {
            // the source's stream broke, maybe halfway through a message: pgjdbc cannot end that COPY
            Sessions.abort(source);
            throw new PSQLException("Database connection failed when reading from copy", PSQLState.CONNECTION_FAILURE,
                    e);
        }
    }

    /** Reports a task's progress at most every {@link #REPORT_NANOS}, as deltas. */
    private static final class Reporter {
        private final CopyTask task;
        private final CopyRelay relay;
        private final Progress progress;
        private long rows;
        private long bytes;
        private long last = System.nanoTime();

        Reporter(CopyTask task, CopyRelay relay, Progress progress) {
            this.task = task;
            this.relay = relay;
            this.progress = progress;
        }

        void due() {
            long now = System.nanoTime();
            if (now - last >= REPORT_NANOS) {
                progress.copied(task, relay.messages() - rows, relay.bytes() - bytes, false);
                rows = relay.messages();
                bytes = relay.bytes();
                last = now;
            }
        }

        /** The final report; a binary COPY's trailer is a message but not a row. */
        void last(boolean binary) {
            long delta = relay.messages() - rows;
            progress.copied(task, binary ? delta - 1 : delta, relay.bytes() - bytes, true);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // a broken connection rolls back by itself; the copy failure is what gets reported
        }
    }

    private static void cancelQuietly(org.postgresql.copy.CopyOperation op) {
        try {
            if (op.isActive()) {
                op.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }
}
