package io.pgrelocate.dump;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.internal.CopyRun;
import io.pgrelocate.core.internal.tasks.SideStep;
import io.pgrelocate.dump.internal.TargetDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Copies one source database into the target at a given snapshot: creates the target database if
 * missing, replays the schema's pre-data, streams every table's rows with binary COPY through the
 * migration's workers, copies large objects, sets every sequence, and builds the post-data (indexes,
 * constraints, triggers...). The dump engine and the continuous engine (at its slot's exported snapshot)
 * both use it.
 *
 * <pre>{@code
 * CopySummary summary = DatabaseCopier.create(context, database).copy(snapshotId);
 * }</pre>
 *
 * Not thread-safe: one copier per database, used by one thread (it runs its own workers).
 */
public final class DatabaseCopier {
    private static final Logger log = LoggerFactory.getLogger(DatabaseCopier.class);
    /** Phases an earlier run can have left a database in with only part of its copy on the target. */
    private static final Set<Phase> INTERRUPTED_COPY = EnumSet.of(Phase.SCHEMA, Phase.COPYING, Phase.POST_DATA,
            Phase.STOPPED, Phase.FAILED);

    private final MigrationContext context;
    private final DatabaseInfo database;
    private final boolean fromScratch;

    private DatabaseCopier(MigrationContext context, DatabaseInfo database, boolean fromScratch) {
        this.context = context;
        this.database = database;
        this.fromScratch = fromScratch;
    }

    public static DatabaseCopier create(MigrationContext context, DatabaseInfo database) {
        return new DatabaseCopier(context, database, false);
    }

    /**
     * The same copier, but dropping the target database first: for a migration that must copy a database
     * again although its earlier run got past the copy (a continuous migration whose slot was lost).
     */
    public DatabaseCopier fromScratch() {
        return new DatabaseCopier(context, database, true);
    }

    /**
     * What a copy did. {@code tables} are the quoted, qualified names of the tables whose rows were copied;
     * {@code complete} is false when a stop request cut the copy short (what was committed stays).
     */
    public record CopySummary(String database, List<String> tables, long rows, long bytes, boolean complete) {
        public CopySummary {
            tables = List.copyOf(tables);
        }
    }

    /**
     * Runs the whole copy. The caller holds {@code snapshotId} open (exported by {@code pg_export_snapshot()}
     * or by {@code CREATE_REPLICATION_SLOT ... EXPORT_SNAPSHOT}) until this returns. When an earlier run of
     * the same migration was interrupted while copying this database, the target database is dropped and
     * copied again from scratch.
     *
     * @throws PgRelocateException on failure, naming the object that failed
     */
    public CopySummary copy(String snapshotId) {
        DatabaseTracker tracker = context.tracker(database.name());
        tracker.enter(Phase.SCHEMA);
        TargetDatabase target = new TargetDatabase(context.target(), database, this::warn);
        boolean again = fromScratch || context.resumed() && tracker.previousPhase() != null
                && INTERRUPTED_COPY.contains(tracker.previousPhase());
        // the target database is made ready while the source's schema is locked and read: nothing is written into
        // it before the pre-data replay, which joins this step first
        try (SideStep<Void> prepared = new SideStep<>(context.threads("prepare-" + database.name()), () -> {
            prepare(target, again);
            return null;
        })) {
            CopyRun run = new CopyRun(context, database.name(), snapshotId, this::warn, prepared::join);
            try {
                return run.run();
            } catch (SnapshotRaceException e) {
                if (run.wroteTarget()) {
                    // the copy at a new snapshot starts from an empty database, as a rerun after a crash does
                    target.drop();
                }
                throw e;
            } catch (PgRelocateException e) {
                throw e;
            } catch (java.sql.SQLException e) {
                throw PgErrors.failed(ErrorCode.COPY_FAILED, "copy of database " + database.name() + " failed", e);
            }
        }
    }

    private void prepare(TargetDatabase target, boolean again) {
        if (again) {
            log.info("database {}: the previous run stopped while copying ({}); copying again from scratch",
                    database.name(), context.tracker(database.name()).previousPhase());
            target.drop();
        }
        target.prepare(context.config().stateSchema(), context.config().allowNonEmptyTarget());
    }

    private void warn(String message) {
        log.warn("{}", message);
        context.emit(new MigrationEvent.SchemaWarning(database.name(), database.name(), message,
                context.clock().instant()));
    }
}
