package io.pgrelocate.dump.internal;

import io.pgrelocate.core.spi.MigrationContext;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The copy workers' source sessions, opened at the snapshot and holding their table locks before anything
 * is written to the target. A worker that asked for its locks only when it started copying could queue
 * behind a TRUNCATE that itself waits for the schema session's locks: a wait cycle through our own process
 * that the server cannot see, so the copy would hang. Not thread-safe; each session goes to one worker.
 */
final class CopySessions implements AutoCloseable {
    private final List<SnapshotSession> sessions;

    private CopySessions(List<SnapshotSession> sessions) {
        this.sessions = sessions;
    }

    /**
     * Opens {@code count} sessions at {@code snapshotId}, each locking {@code tables} without waiting.
     *
     * @throws io.pgrelocate.dump.SnapshotRaceException when another session is waiting to rewrite one of them
     */
    static CopySessions open(MigrationContext context, String database, String snapshotId, int count,
                             List<String> tables) throws SQLException {
        List<SnapshotSession> opened = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SnapshotSession s = SnapshotSession.importing(context.source(), database, snapshotId, "copy");
                opened.add(s);
                TableLocks.lockNoWait(s.connection(), tables);
            }
            return new CopySessions(opened);
        } catch (SQLException | RuntimeException e) {
            opened.forEach(SnapshotSession::close);
            throw e;
        }
    }

    int size() {
        return sessions.size();
    }

    SnapshotSession get(int i) {
        return sessions.get(i);
    }

    @Override
    public void close() {
        sessions.forEach(SnapshotSession::close);
    }
}
