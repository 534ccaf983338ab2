package io.pgrelocate.core.internal;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.MigrationOutcome;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.internal.tasks.SideStep;
import io.pgrelocate.core.spi.ClusterInspector;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.DatabaseResolver;
import io.pgrelocate.core.spi.MigrationEngine;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PreflightService;
import io.pgrelocate.core.spi.ServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything that happens on the caller's thread in {@code Migration.start()}: inspect both servers,
 * run preflight, resolve the databases, claim or resume the migration's state on the target. Any problem
 * is thrown from {@code start()} before a thread is started.
 */
final class RunStarter {
    private static final Logger log = LoggerFactory.getLogger(RunStarter.class);

    private RunStarter() {
    }

    static MigrationRunner start(MigrationConfig config) {
        log.debug("starting migration with {}", config);
        // the class path is checked before any server is contacted: a missing artifact is a build problem
        MigrationEngine engine = Services.engine(config.mode());
        Optional<PreflightService> preflight = Services.requiredPreflight();
        PgConnector source = new PgConnector(config.source(), "source");
        PgConnector target = new PgConnector(config.target(), "target");
        // the target is inspected while the source is: a connection and a few round trips that need not wait. (The copy
        // estimates stay after preflight: read earlier, a table's size can move before the copy measures it again)
        ServerInfo sourceInfo;
        ServerInfo targetInfo;
        List<DatabaseInfo> all;
        try (SideStep<ServerInfo> targetInspected = new SideStep<>(RunContext.threads(config, "start"),
                () -> inspect(target)); Connection c = source.open("inspect")) {
            sourceInfo = ClusterInspector.server(c);
            all = ClusterInspector.databases(c);
            targetInfo = targetInspected.join();
        } catch (SQLException e) {
            throw new PgRelocateException(ErrorCode.CONNECTION_FAILED, "lost the source connection", e);
        }
        List<DatabaseInfo> databases = DatabaseResolver.resolve(config.databases(), all, config.source());
        runPreflight(config, preflight);
        // the estimates (a connection to each source database) are read while the target's state schema is made and
        // locked; joined before a state row is written, so a failure to read them still leaves no migration behind
        SideStep<List<MigrationEvent.DatabaseTotals>> estimates = new SideStep<>(RunContext.threads(config, "start"),
                () -> CopyEstimates.read(source, databases, config.stateSchema()));
        Connection stateConnection = null;
        try {
            stateConnection = target.open("state");
            StateStore store = new StateStore(stateConnection, config.stateSchema());
            store.create();
            if (!store.tryLock(config.migrationId())) {
                throw new PgRelocateException(ErrorCode.STATE_CONFLICT, "migration '" + config.migrationId()
                        + "' is already running against target " + config.target().display()
                        + " in another process; watch it with 'status', or stop it with 'stop'");
            }
            List<MigrationEvent.DatabaseTotals> totals = joined(estimates);
            Instant now = config.clock().instant();
            Optional<StateStore.StoredMigration> stored = store.find(config.migrationId());
            Map<String, Phase> previous = new HashMap<>();
            Instant startedAt = now;
            Instant deadline = now.plus(config.maxDuration());
            if (stored.isPresent()) {
                StateStore.StoredMigration m = stored.get();
                checkResumable(config, sourceInfo, m);
                startedAt = m.startedAt();
                deadline = m.deadline();
                for (DatabaseStatus s : store.databases(m.id())) {
                    previous.put(s.database(), s.phase());
                }
                store.ensureDatabases(m.id(), databases.stream().map(DatabaseInfo::name).toList(), now);
                log.info("resuming migration {} started at {} (deadline {})", m.id(), startedAt, deadline);
            } else {
                new OutcomeStore(stateConnection, config.stateSchema()).forget(config.migrationId());
                store.insert(new StateStore.StoredMigration(config.migrationId(), config.mode(),
                        MigrationState.RUNNING, config.source().display(), sourceInfo.systemIdentifier(), now,
                        deadline), databases.stream().map(DatabaseInfo::name).toList(), now);
            }
            store.recordHeartbeatInterval(config.migrationId(), config.statusInterval());
            AtomicReference<MigrationRunner> runner = new AtomicReference<>();
            RunContext context = new RunContext(config, databases, sourceInfo, targetInfo, source, target,
                    stored.isPresent(), previous, () -> {
                        MigrationRunner r = runner.get();
                        if (r != null) {
                            r.wakeControl();
                        }
                    });
            runner.set(new MigrationRunner(config, context, engine, startedAt, deadline, totals));
            runner.get().launch(stateConnection);
            return runner.get();
        } catch (RuntimeException e) {
            estimates.close();
            if (stateConnection != null) {
                closeQuietly(stateConnection);
            }
            throw e;
        }
    }

    private static <T> T joined(SideStep<T> step) {
        try (step) {
            return step.join();
        } catch (SQLException e) {
            throw new PgRelocateException(ErrorCode.CONNECTION_FAILED, "lost the source connection", e);
        }
    }

    private static ServerInfo inspect(PgConnector target) {
        try (Connection c = target.open("inspect")) {
            return ClusterInspector.server(c);
        } catch (SQLException e) {
            throw new PgRelocateException(ErrorCode.CONNECTION_FAILED, "lost the target connection", e);
        }
    }

    private static void runPreflight(MigrationConfig config, Optional<PreflightService> service) {
        if (service.isEmpty()) {
            log.warn("pgrelocate-preflight is not on the class path and {} is set: starting without preflight "
                    + "checks", Services.PREFLIGHT_OPTIONAL);
            return;
        }
        PreflightReport report = service.get().check(config);
        if (report.hasErrors()) {
            throw new PgRelocateException(ErrorCode.PREFLIGHT_FAILED, "preflight found " + report.errorSummary());
        }
        if (report.hasWarnings() && !config.acceptWarnings()) {
            throw new PgRelocateException(ErrorCode.PREFLIGHT_FAILED, "preflight found " + report.warnings().size()
                    + " warning(s) (" + String.join(", ", report.warnings().stream().map(f -> f.code()).distinct()
                    .toList()) + "); review them with 'preflight' and accept them explicitly (acceptWarnings / "
                    + "--accept-warnings)");
        }
    }

    private static void checkResumable(MigrationConfig config, ServerInfo sourceInfo, StateStore.StoredMigration m) {
        if (m.mode() != config.mode()) {
            throw new PgRelocateException(ErrorCode.STATE_CONFLICT, "the target holds an unfinished " + m.mode()
                    + " migration '" + m.id() + "'; finish or stop it before starting a " + config.mode() + " one");
        }
        if (m.sourceSystemId() != null && sourceInfo.systemIdentifier() != null
                && !Objects.equals(m.sourceSystemId(), sourceInfo.systemIdentifier())) {
            throw new PgRelocateException(ErrorCode.STATE_CONFLICT, "the target holds an unfinished migration '"
                    + m.id() + "' from another source (" + m.source() + "); stop it, or use another migration id");
        }
    }

    /**
     * Records how the run ended: an outcome row that outlives the state rows, so another process's
     * {@code status} or {@code cutover --wait} can still tell; removes the state rows unless the run failed or
     * they must be kept. One transaction, so a reader sees either the state rows or the outcome.
     */
    static void finishState(MigrationConfig config, Connection connection, MigrationState end,
                            PgRelocateException failure) {
        try (connection) {
            StateStore store = new StateStore(connection, config.stateSchema());
            boolean remove = !config.keepState() && end != MigrationState.FAILED;
            Instant now = config.clock().instant();
            Optional<StateStore.StoredMigration> stored = store.find(config.migrationId());
            connection.setAutoCommit(false);
            store.updateMigration(config.migrationId(), end, failure == null ? null : failure.getMessage(), now);
            if (stored.isPresent()) {
                new OutcomeStore(connection, config.stateSchema()).record(new MigrationOutcome(config.migrationId(),
                        config.mode(), end, config.source().display(), stored.get().startedAt(), now,
                        failure == null ? null : failure.getMessage()));
            }
            if (remove) {
                store.deleteMigration(config.migrationId());
                if (store.isEmpty()) {
                    store.dropStateTables();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            log.warn("cannot record the end of migration {} on the target: {}", config.migrationId(),
                    e.getMessage());
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to add to the error being thrown
        }
    }
}
