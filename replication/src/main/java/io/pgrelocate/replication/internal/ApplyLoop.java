package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

/**
 * Reads one database's stream and applies it in source commit order. Several small source transactions
 * share one target transaction (bounded by count, changes and age); each target commit records the last
 * source commit LSN it covers, and only then is that position confirmed to the source. A transaction at
 * or below {@code skipUpTo} was applied before a crash and is read past. Not thread-safe.
 */
final class ApplyLoop {
    private static final Logger log = LoggerFactory.getLogger(ApplyLoop.class);
    private static final int MAX_TXNS_PER_BATCH = 5000;
    private static final long MAX_CHANGES_PER_BATCH = 20_000;
    private static final long MAX_BATCH_NANOS = 200_000_000L;

    /** What the loop reports to its owner. */
    interface Listener {
        /** A target commit covered source commits up to {@code commitLsn}, the last committed at {@code micros}. */
        void applied(Lsn commitLsn, long commitTimeMicros);

        /** Called between messages when nothing is waiting; may end the loop by returning false. */
        boolean idle(Lsn confirmed);
    }

    private final StreamSession session;
    private final ChangeApplier applier;
    private final Listener listener;
    private Lsn skipUpTo;

    private boolean inSourceTransaction;
    private boolean skipping;
    private long commitTimeMicros;
    private Lsn transactionLsn;
    private Lsn pendingCommit;
    private Lsn pendingEnd;
    private long pendingCommitTime;
    private int txnsInBatch;
    private long changesInBatch;
    private long batchStarted;

    ApplyLoop(StreamSession session, ChangeApplier applier, Lsn skipUpTo, Listener listener) {
        this.session = session;
        this.applier = applier;
        this.skipUpTo = skipUpTo;
        this.listener = listener;
    }

    /** Runs until the listener's {@code idle} returns false; throws on any failure (the caller reconnects). */
    void run() throws SQLException {
        try (StreamReader reader = new StreamReader(session)) {
            while (true) {
                StreamReader.Item item = take(reader);
                if (item instanceof StreamReader.Change c) {
                    try {
                        handle(c.message());
                    } finally {
                        // a value in a file is applied (or read past) by now: its file is not needed again
                        SpilledValue.release(c.message());
                    }
                } else if (item instanceof StreamReader.Idle idle) {
                    if (!inSourceTransaction && !idle(idle.received())) {
                        return;
                    }
                } else if (item instanceof StreamReader.Failed f) {
                    throw rethrow(f.error());
                }
            }
        }
    }

    /** Nothing waiting: commit what is pending, or confirm what the server has sent; false ends the loop. */
    private boolean idle(Lsn received) throws SQLException {
        if (pendingCommit != null) {
            commitBatch();
        } else {
            // nothing in flight: everything the server had sent before this is applied or not ours, so an
            // idle database still advances its slot and the source can recycle its WAL
            session.confirm(received);
        }
        return listener.idle(session.confirmed());
    }

    private static StreamReader.Item take(StreamReader reader) {
        try {
            return reader.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgRelocateException(ErrorCode.INTERNAL, "the apply thread was interrupted", e);
        }
    }

    private static SQLException rethrow(Throwable e) {
        if (e instanceof SQLException sql) {
            return sql;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "reading the stream failed: " + e, e);
    }

    private void handle(PgOutputMessage message) throws SQLException {
        if (message instanceof PgOutputMessage.Begin b) {
            inSourceTransaction = true;
            skipping = skipUpTo.isValid() && b.finalLsn().isAtOrBefore(skipUpTo);
            commitTimeMicros = b.commitTimeMicros();
            applier.sourceTransaction(b.finalLsn());
            transactionLsn = b.finalLsn();
            if (!skipping && pendingCommit == null) {
                batchStarted = System.nanoTime();
            }
        } else if (message instanceof PgOutputMessage.Commit c) {
            inSourceTransaction = false;
            if (skipping) {
                log.debug("skipping transaction committed at {}: applied before the restart", c.commitLsn());
                if (pendingCommit == null) {
                    session.confirm(c.endLsn());
                }
                return;
            }
            pendingCommit = c.commitLsn();
            pendingEnd = c.endLsn();
            pendingCommitTime = commitTimeMicros;
            txnsInBatch++;
            if (txnsInBatch >= MAX_TXNS_PER_BATCH || changesInBatch >= MAX_CHANGES_PER_BATCH || applier.batchFull()
                    || System.nanoTime() - batchStarted >= MAX_BATCH_NANOS) {
                commitBatch();
            }
        } else if (message instanceof PgOutputMessage.Relation
                || !(message instanceof PgOutputMessage.Ignored) && !skipping) {
            if (pendingCommit != null && applier.needsOwnTransaction(message)) {
                commitBatch();
            }
            try {
                if (message instanceof PgOutputMessage.Relation r) {
                    // collected changes to it are sent first, against the shape they were decoded with
                    applier.relation(r);
                    return;
                }
                applier.apply(message);
            } catch (SQLException e) {
                throw ApplyErrors.at(e, "in the source transaction committed at " + transactionLsn);
            } catch (PgRelocateException e) {
                throw new PgRelocateException(e.code(), e.getMessage() + ", in the source transaction committed at "
                        + transactionLsn, e);
            }
            changesInBatch++;
        }
    }

    private void commitBatch() throws SQLException {
        try {
            applier.commit(pendingCommit);
        } catch (SQLException e) {
            throw ApplyErrors.at(e, "in the source transactions committed up to " + pendingCommit);
        } catch (PgRelocateException e) {
            throw new PgRelocateException(e.code(), e.getMessage() + ", in the source transactions committed up to "
                    + pendingCommit, e);
        }
        session.confirm(pendingEnd);
        listener.applied(pendingCommit, pendingCommitTime);
        skipUpTo = Lsn.max(skipUpTo, pendingCommit);
        pendingCommit = null;
        pendingEnd = null;
        txnsInBatch = 0;
        changesInBatch = 0;
    }

    /** The highest commit LSN known to be applied, for the skip rule after a reconnect. */
    Lsn appliedUpTo() {
        return skipUpTo;
    }

    static boolean isTransient(Throwable e) {
        if (e instanceof PgRelocateException) {
            return false;
        }
        if (e instanceof SQLException sql) {
            String state = sql.getSQLState();
            // 55006: the slot is still held by the walsender of a session that just died (a killed run,
            // a dropped connection); it is released within seconds
            return state == null || state.startsWith("08") || state.startsWith("57P") || state.equals("40001")
                    || state.equals("40P01") || state.startsWith("53") || state.equals("55006");
        }
        return false;
    }
}
