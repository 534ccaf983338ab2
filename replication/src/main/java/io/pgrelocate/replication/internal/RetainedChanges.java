package io.pgrelocate.replication.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded messages of the current target transaction, in source order, kept so that a collapsed batch
 * that hits a constraint can be rolled back and replayed change by change. Bounded in count and in the bytes
 * held ({@link HeapBudget#COLLAPSE_BYTES} of the apply's budget), so a transaction of any size or row width keeps
 * the heap bounded: past the bound nothing more is kept (and nothing more is collapsed). Not thread-safe.
 */
final class RetainedChanges {
    private static final int MAX_CHANGES = 20_000;

    private final HeapBudget heap;
    private List<PgOutputMessage> changes = new ArrayList<>();
    private long bytes;

    RetainedChanges(HeapBudget heap) {
        this.heap = heap;
    }

    /** Keeps {@code m}; false (keeping nothing) when that would pass the bounds. */
    boolean add(PgOutputMessage m) {
        long size = size(m);
        if (changes.size() >= MAX_CHANGES || bytes + size > HeapBudget.COLLAPSE_BYTES) {
            return false;
        }
        changes.add(m);
        bytes += size;
        heap.hold(size);
        return true;
    }

    /** Three quarters full: time to end the target transaction while its changes still collapse. */
    boolean nearlyFull() {
        return changes.size() >= MAX_CHANGES / 4 * 3 || bytes >= HeapBudget.COLLAPSE_BYTES / 4 * 3;
    }

    int size() {
        return changes.size();
    }

    /** The kept messages; this is empty afterwards. */
    List<PgOutputMessage> drain() {
        List<PgOutputMessage> all = changes;
        clear();
        return all;
    }

    void clear() {
        changes = new ArrayList<>();
        heap.release(bytes);
        bytes = 0;
    }

    private static long size(PgOutputMessage m) {
        if (m instanceof PgOutputMessage.Insert i) {
            return HeapBudget.of(i.row());
        }
        if (m instanceof PgOutputMessage.Update u) {
            return HeapBudget.of(u.row()) + (u.old() == null ? 0 : HeapBudget.of(u.old()));
        }
        if (m instanceof PgOutputMessage.Delete d) {
            return HeapBudget.of(d.old());
        }
        return 256;
    }

    /** Whether {@code e} (or an exception chained to it, as a batch reports) is an integrity constraint's. */
    static boolean isConstraint(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null && x.getSQLState().startsWith("23")) {
                return true;
            }
            if (x.getCause() instanceof SQLException c && c.getSQLState() != null && c.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
