package io.pgrelocate.dump;

import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.MigrationContext;

import java.util.List;

/**
 * Copies one source database into the target at a given snapshot: creates the target database if
 * missing, replays the schema's pre-data, streams every table's rows with binary COPY through the
 * migration's workers, builds the post-data (indexes, constraints, triggers...) and sets every sequence.
 * The dump engine and the continuous engine (at its slot's exported snapshot) both use it.
 *
 * <pre>{@code
 * CopySummary summary = DatabaseCopier.create(context, database).copy(snapshotId);
 * }</pre>
 *
 * Not thread-safe: one copier per database, used by one thread (it runs its own workers).
 */
public final class DatabaseCopier {
    private final MigrationContext context;
    private final DatabaseInfo database;

    private DatabaseCopier(MigrationContext context, DatabaseInfo database) {
        this.context = context;
        this.database = database;
    }

    public static DatabaseCopier create(MigrationContext context, DatabaseInfo database) {
        return new DatabaseCopier(context, database);
    }

    /** What a copy did. {@code tables} are qualified, quoted names of the tables whose rows were copied. */
    public record CopySummary(String database, List<String> tables, long rows, long bytes) {
        public CopySummary {
            tables = List.copyOf(tables);
        }
    }

    /**
     * Runs the whole copy. The caller holds {@code snapshotId} open (exported by {@code pg_export_snapshot()}
     * or by {@code CREATE_REPLICATION_SLOT ... EXPORT_SNAPSHOT}) until this returns.
     *
     * @throws io.pgrelocate.core.PgRelocateException on failure, naming the object that failed
     */
    public CopySummary copy(String snapshotId) {
        throw new UnsupportedOperationException("being written: " + context.migrationId() + "/" + database.name()
                + "@" + snapshotId);
    }
}
