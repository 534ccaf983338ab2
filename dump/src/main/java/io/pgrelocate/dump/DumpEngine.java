package io.pgrelocate.dump;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.MigrationEngine;
import io.pgrelocate.dump.internal.SnapshotSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The point-in-time engine ({@link Mode#DUMP}): one database after the other, each copied at one snapshot
 * exported on the source and held open for the whole copy. Found through {@link java.util.ServiceLoader};
 * stateless and thread-safe.
 */
public final class DumpEngine implements MigrationEngine {
    private static final Logger log = LoggerFactory.getLogger(DumpEngine.class);
    /** Snapshots taken for one database before giving up on a source that keeps rewriting tables. */
    static final int MAX_ATTEMPTS = 10;

    @Override
    public Mode mode() {
        return Mode.DUMP;
    }

    @Override
    public void run(MigrationContext context) {
        Roles.copy(context);
        for (DatabaseInfo db : context.databases()) {
            if (context.stopRequested()) {
                return;
            }
            DatabaseTracker tracker = context.tracker(db.name());
            if (context.resumed() && tracker.previousPhase() == Phase.DONE) {
                log.info("database {} was copied by the interrupted run; skipping it", db.name());
                tracker.enter(Phase.DONE);
                continue;
            }
            try {
                if (copy(context, db).complete()) {
                    tracker.enter(Phase.DONE);
                }
            } catch (PgRelocateException e) {
                tracker.fail(e);
                throw e;
            } catch (RuntimeException | Error e) {
                // whatever it is, the database failed: its status says so, and the run ends FAILED
                tracker.fail(new PgRelocateException(ErrorCode.COPY_FAILED, "copy of database " + db.name()
                        + " failed: " + e, e));
                throw e;
            }
        }
    }

    /** Copies at a snapshot of its own, taking a new one when a table was rewritten just after it. */
    private static DatabaseCopier.CopySummary copy(MigrationContext context, DatabaseInfo db) {
        for (int attempt = 1; ; attempt++) {
            try (SnapshotSession snapshot = SnapshotSession.export(context.source(), db.name())) {
                return DatabaseCopier.create(context, db).copy(snapshot.snapshotId());
            } catch (SnapshotRaceException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                log.warn("database {}: {}", db.name(), e.getMessage());
            }
        }
    }
}
