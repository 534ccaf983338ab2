package io.pgrelocate.dump.internal;

import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.internal.tasks.SideStep;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.dump.DatabaseCopier.CopySummary;
import io.pgrelocate.dump.Sequences;
import io.pgrelocate.dump.internal.schema.CatalogSessions;
import io.pgrelocate.dump.internal.schema.DataTask;
import io.pgrelocate.dump.internal.schema.DatabaseSchema;
import io.pgrelocate.dump.internal.schema.DdlStatement;
import io.pgrelocate.dump.internal.schema.ExtractOptions;
import io.pgrelocate.dump.internal.schema.SchemaExtractor;
import io.pgrelocate.dump.internal.schema.SequenceData;
import io.pgrelocate.dump.internal.schema.TableData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The steps of one database's copy, in order; see {@link io.pgrelocate.dump.DatabaseCopier}. */
public final class CopyRun {
    private static final Logger log = LoggerFactory.getLogger(CopyRun.class);

    private final MigrationContext context;
    private final String database;
    private final String snapshotId;
    private final Consumer<String> warn;
    private final DatabaseTracker tracker;
    private final DdlRunner ddl;
    private final TargetReady targetReady;
    private volatile boolean wroteTarget;

    /** Waits until the target database may receive the copy (it is prepared while the source's schema is read). */
    public interface TargetReady {
        void await() throws SQLException;
    }

    public CopyRun(MigrationContext context, String database, String snapshotId, Consumer<String> warn,
                   TargetReady targetReady) {
        this.context = context;
        this.targetReady = targetReady;
        this.database = database;
        this.snapshotId = snapshotId;
        this.warn = warn;
        this.tracker = context.tracker(database);
        this.ddl = new DdlRunner(context, database, warn);
    }

    /** Whether this run wrote anything into the target database (a retry at a new snapshot must start afresh). */
    public boolean wroteTarget() {
        return wroteTarget;
    }

    public CopySummary run() throws SQLException {
        try {
            return copy();
        } finally {
            ddl.closePostDataSessions();
        }
    }

    private CopySummary copy() throws SQLException {
        // this session holds the tables' locks until every row is copied
        // the target's roles, extensions and settings are listed while the source's tables are locked
        try (SideStep<ExtractOptions> options = new SideStep<>(context.threads("options-" + database), this::options);
             SnapshotSession session = SnapshotSession.importing(context.source(), database, snapshotId, "schema")) {
            long read = System.nanoTime();
            LockCapacity sourceLocks = LockCapacity.read(session.connection());
            // half of the session's share: the catalog read takes locks too (a view's definition, for one)
            Set<QualifiedName> locked = TableLocks.lockAndCheck(session.connection(), context.config().stateSchema(),
                    sourceLocks.perTransaction() / 2);
            DatabaseSchema schema = extract(session.connection(), options.join());
            Sizes sizes = sizes(session.connection(), schema.tables(), locked);
            List<TableData> tables = sizes.tables();
            schema.warnings().forEach(warn);
            targetReady.await();
            long replay = System.nanoTime();
            wroteTarget = true;
            try (PreDataReplay preData = new PreDataReplay(context, database, ddl)) {
                preData.run(schema.preData());
            }
            log.info("database {}: schema of {} tables read in {} ms, its {} pre-data statements replayed in {} ms",
                    database, tables.size(), (replay - read) / 1_000_000, schema.preDataSize(),
                    (System.nanoTime() - replay) / 1_000_000);

            tracker.enter(Phase.COPYING);
            tracker.resetCopy();
            long estimatedRows = tables.stream().mapToLong(t -> Math.max(0, t.estimatedRows())).sum();
            long estimatedBytes = tables.stream().mapToLong(t -> Math.max(0, t.estimatedBytes())).sum();
            tracker.copyPlanned(tables.size(), estimatedRows, estimatedBytes);
            context.emit(new MigrationEvent.CopyPlanned(database, tables.size(), estimatedRows, estimatedBytes,
                    context.clock().instant()));
            List<CopyTask> tasks = CopyPlan.plan(tables, sizes.heapBytes(), context.config().jobs());
            long started = System.nanoTime();
            List<List<DdlStatement>> waves = new ArrayList<>(schema.postData());
            waves.add(analyze(tables));
            Map<String, PostDataPlan.TableWork> early = PostDataPlan.takePerTable(waves, tables);
            ddl.postDataPlanned(waves.stream().mapToInt(List::size).sum() + PostDataPlan.size(early));
            DataCopy.Totals copied;
            try (EarlyPostData postData = new EarlyPostData(context, database, ddl, early)) {
                DataCopy copy = new DataCopy(context, database, snapshotId, session.connection(), locked,
                        sourceLocks.tablesPerWorkerTransaction(context.config().jobs()))
                        .onTableCopied(postData::tableCopied);
                postData.onFailure(copy::abort);
                copied = copy.run(tasks);
                postData.rethrowFailure();
                log.info("database {}: rows copied in {} ms", database, (System.nanoTime() - started) / 1_000_000);
                if (!context.stopRequested()) {
                    // while the last tables' indexes build: these are mostly connections and round trips
                    copyConfigTables(schema, session.connection(), locked);
                    copyOtherData(schema.dataTasks());
                    syncSequences(schema.sequences());
                }
                postData.finish();
            }
            List<String> names = tables.stream().map(TableData::qualified).toList();
            if (context.stopRequested()) {
                return new CopySummary(database, names, copied.rows(), copied.bytes(), false);
            }
            long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
            log.info("database {}: copied {} rows ({} MB) of {} tables, and built their own indexes, keys and "
                    + "statistics, in {} ms: {} rows/s, {} MB/s", database, copied.rows(), copied.bytes() >> 20,
                    names.size(), millis, copied.rows() * 1000 / millis,
                    String.format(java.util.Locale.ROOT, "%.1f", copied.bytes() / 1048576.0 * 1000 / millis));
            session.close();

            tracker.enter(Phase.POST_DATA);
            ddl.inWaves(waves);
            return new CopySummary(database, names, copied.rows(), copied.bytes(), !context.stopRequested());
        }
    }

    /**
     * Reads the schema on the lock holder and, side by side, on as many more sessions at the snapshot as the run's
     * copy budget has free (the copy workers take them back afterwards): the read is mostly round trips, which
     * overlap, and a few queries that grow with the number of tables, which then run at once.
     */
    private DatabaseSchema extract(Connection lockHolder, ExtractOptions options) throws SQLException {
        int extra = 0;
        while (extra < context.config().jobs() && context.copyPermits().tryAcquire()) {
            extra++;
        }
        try {
            return SchemaExtractor.extract(lockHolder, new CatalogSessions(extra, () -> SnapshotSession.importing(
                    context.source(), database, snapshotId, "schema").connection(),
                    context.threads("schema-" + database)), options);
        } finally {
            context.copyPermits().release(extra);
        }
    }

    private ExtractOptions options() throws SQLException {
        Set<String> roles = new HashSet<>();
        Map<String, Set<String>> extensions = new HashMap<>();
        Set<String> settings = new HashSet<>();
        try (Connection c = context.target().open("roles"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles")) {
                while (rs.next()) {
                    roles.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT name, version FROM pg_available_extension_versions")) {
                while (rs.next()) {
                    extensions.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT lower(name) FROM pg_settings")) {
                while (rs.next()) {
                    settings.add(rs.getString(1));
                }
            }
        }
        // the continuous apply replays DDL and logs in to the target after the copy: the end of the run enables the
        // event triggers
        return new ExtractOptions(Set.of(context.config().stateSchema()), context.targetServer().versionNum(), roles,
                extensions, settings, context.config().mode() == io.pgrelocate.core.Mode.CONTINUOUS);
    }

    /** The tables with their sizes, and each one's main fork size (by qualified name) to cut slices by. */
    private record Sizes(List<TableData> tables, Map<String, Long> heapBytes) {
    }

    /**
     * Measures the tables this session holds locked (measuring takes a lock) and estimates the others' sizes from
     * the catalog (they are the smallest by that estimate), in one round trip.
     */
    private static Sizes sizes(Connection c, List<TableData> tables, Set<QualifiedName> locked) throws SQLException {
        Map<String, Long> heap = new HashMap<>();
        List<TableData> measured = new ArrayList<>(tables);
        try (PreparedStatement ps = c.prepareStatement("SELECT t.i, CASE WHEN t.locked "
                + "THEN pg_catalog.pg_relation_size(c.oid, 'main') "
                + "ELSE c.relpages::bigint * pg_catalog.current_setting('block_size')::bigint END, "
                + "CASE WHEN t.locked THEN pg_catalog.pg_table_size(c.oid) END "
                + "FROM unnest(?::text[], ?::text[], ?::boolean[]) WITH ORDINALITY AS t(s, n, locked, i) "
                + "JOIN pg_catalog.pg_namespace ns ON ns.nspname = t.s "
                + "JOIN pg_catalog.pg_class c ON c.relnamespace = ns.oid AND c.relname = t.n")) {
            ps.setArray(1, c.createArrayOf("text", tables.stream().map(TableData::schema).toArray()));
            ps.setArray(2, c.createArrayOf("text", tables.stream().map(TableData::name).toArray()));
            ps.setArray(3, c.createArrayOf("boolean", tables.stream()
                    .map(t -> locked.contains(new QualifiedName(t.schema(), t.name()))).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = rs.getInt(1) - 1;
                    heap.put(tables.get(i).qualified(), rs.getLong(2));
                    long total = rs.getLong(3);
                    if (!rs.wasNull()) {
                        measured.set(i, tables.get(i).withEstimatedBytes(total));
                    }
                }
            }
        }
        return new Sizes(measured, heap);
    }

    /** The extensions' configuration rows, on the session that holds the tables' locks (idle once the copy is done). */
    private void copyConfigTables(DatabaseSchema schema, Connection lockHolder, Set<QualifiedName> locked)
            throws SQLException {
        if (schema.configTables().isEmpty()) {
            return;
        }
        try (Connection target = context.target().open(database, "data")) {
            TargetSession.prepareForCopy(target);
            new ConfigTableCopy(database, warn).copy(schema.configTables(), lockHolder, locked, target);
        }
    }

    private void copyOtherData(List<DataTask> tasks) throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        try (SnapshotSession source = SnapshotSession.importing(context.source(), database, snapshotId, "data");
             Connection target = context.target().open(database, "data")) {
            TargetSession.prepareForCopy(target);
            for (DataTask task : tasks) {
                log.debug("database {}: copying {}", database, task.name());
                task.run(source.connection(), target);
                target.commit();
            }
        }
    }

    private void syncSequences(List<SequenceData> sequences) throws SQLException {
        try (Connection source = context.source().open(database, "sequences");
             Connection target = context.target().open(database, "sequences")) {
            Sequences.sync(source, target, sequences.stream().map(SequenceData::qualified).toList());
        }
    }

    /** ANALYZE every copied table, so the target plans queries well from its first minute. */
    private static List<DdlStatement> analyze(List<TableData> tables) {
        return tables.stream().filter(TableData::analyzable).map(t -> new DdlStatement("statistics of " + t.display(), "ANALYZE " + t.qualified(),
                t.qualified())).toList();
    }
}
