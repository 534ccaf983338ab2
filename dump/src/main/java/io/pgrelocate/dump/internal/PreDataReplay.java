package io.pgrelocate.dump.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.internal.tasks.TaskGroup;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.internal.schema.DdlStatement;
import io.pgrelocate.dump.internal.schema.PreDataLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replays the pre-data on the target level by level ({@link PreDataLevel}, in order): a serial level on one session,
 * a big parallel one (10,000 tables that depend on nothing but their schema and types) on up to {@code jobs}
 * sessions at once, each taking the level's next objects as one transaction. Every transaction keeps to its share
 * of the target's lock table: the part a schema transaction may use ({@link LockCapacity#statementsPerTransaction()}),
 * divided among the sessions at work, so all of them at once still fit. A failure anywhere cancels the other
 * sessions and leaves what was committed; the database stays in phase SCHEMA and a rerun starts it again.
 * Not thread-safe; one per database copy.
 */
final class PreDataReplay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PreDataReplay.class);
    /** A parallel level with fewer statements runs on one session: more sessions would cost more than they save. */
    static final int MIN_PARALLEL = 2 * DdlRunner.GROUP;

    private final MigrationContext context;
    private final String database;
    private final DdlRunner ddl;
    private final List<Connection> sessions = new ArrayList<>();

    PreDataReplay(MigrationContext context, String database, DdlRunner ddl) {
        this.context = context;
        this.database = database;
        this.ddl = ddl;
    }

    /** Replays every level, in order; throws the first failure. */
    void run(List<PreDataLevel> levels) {
        int perTransaction;
        try {
            perTransaction = LockCapacity.read(session(0)).statementsPerTransaction();
            session(0).commit();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot read the lock settings of target database "
                    + database, e);
        }
        for (PreDataLevel level : levels) {
            int workers = Math.min(context.config().jobs(), level.size() / DdlRunner.GROUP);
            if (level.parallel() && level.size() >= MIN_PARALLEL && workers > 1) {
                long started = System.nanoTime();
                parallel(level, workers, Math.max(1, perTransaction / workers));
                log.info("database {}: {} pre-data statements (first: {}) on {} sessions in {} ms", database,
                        level.size(), level.objects().get(0).get(0).object(), workers,
                        (System.nanoTime() - started) / 1_000_000);
            } else {
                ddl.inBatches(session(0), level.statements(), perTransaction);
            }
        }
    }

    private void parallel(PreDataLevel level, int workers, int perTransaction) {
        List<List<DdlStatement>> chunks = chunks(level, perTransaction);
        for (int w = 0; w < workers; w++) {
            session(w);
        }
        AtomicInteger next = new AtomicInteger();
        try (TaskGroup group = new TaskGroup(context.threads("schema-" + database), workers)) {
            for (int w = 0; w < workers; w++) {
                Connection c = sessions.get(w);
                // a statement waiting on the server sees no interrupt: the server cancels it
                group.onCancel(() -> Sessions.cancel(c));
                group.submit(() -> {
                    int i;
                    while (!group.isCancelled() && (i = next.getAndIncrement()) < chunks.size()) {
                        ddl.inBatches(c, chunks.get(i), perTransaction);
                    }
                });
            }
            group.await();
        }
    }

    /** The level's objects, whole and in order, in runs of about {@code size} statements: one transaction each. */
    static List<List<DdlStatement>> chunks(PreDataLevel level, int size) {
        List<List<DdlStatement>> chunks = new ArrayList<>();
        List<DdlStatement> chunk = new ArrayList<>();
        for (List<DdlStatement> object : level.objects()) {
            if (!chunk.isEmpty() && chunk.size() + object.size() > size) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
            }
            chunk.addAll(object);
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** The {@code i}th schema session, opened on first use: autocommit off, no wait for a WAL flush per commit. */
    private Connection session(int i) {
        while (sessions.size() <= i) {
            try {
                Connection c = context.target().open(database, "schema");
                sessions.add(c);
                // an interrupted pre-data is replayed from the start anyway (the database stays in phase SCHEMA)
                try (Statement st = c.createStatement()) {
                    st.execute("SET synchronous_commit = off");
                }
                c.setAutoCommit(false);
            } catch (SQLException e) {
                throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot connect to target database " + database,
                        e);
            }
        }
        return sessions.get(i);
    }

    @Override
    public void close() {
        for (Connection c : sessions) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // done with either way
            }
        }
        sessions.clear();
    }
}
