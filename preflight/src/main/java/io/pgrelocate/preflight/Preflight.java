package io.pgrelocate.preflight;

import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PreflightService;
import io.pgrelocate.preflight.internal.ConnectionBudget;
import io.pgrelocate.preflight.internal.DatabaseSelector;
import io.pgrelocate.preflight.internal.Findings;
import io.pgrelocate.preflight.internal.RoleChecks;
import io.pgrelocate.preflight.internal.ServerChecks;
import io.pgrelocate.preflight.internal.ServerSession;
import io.pgrelocate.preflight.internal.SourceActivityChecks;
import io.pgrelocate.preflight.internal.SourceDatabaseChecks;
import io.pgrelocate.preflight.internal.TargetChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Checks every prerequisite of a migration, for the mode asked, without changing either server: connections
 * and TLS, versions, the source role's privileges, the source's replication settings, tables whose changes
 * cannot be replicated, extensions, the target's databases and rights, and what the migration will not carry.
 * Registered as the {@link PreflightService}; {@code Migration.preflight()} and {@code Migration.start()} run it.
 *
 * <pre>{@code
 * PreflightReport report = migration.preflight();
 * System.out.println(ReportRenderer.text(report));
 * }</pre>
 *
 * Thread-safe (stateless); each call opens and closes its own connections.
 */
public final class Preflight implements PreflightService {
    private static final Logger log = LoggerFactory.getLogger(Preflight.class);

    @Override
    public PreflightReport check(MigrationConfig config) {
        Findings findings = new Findings();
        Optional<ServerSession> source = ServerSession.open(new PgConnector(config.source(), "source"), findings);
        try {
            Optional<ServerSession> target = ServerSession.open(new PgConnector(config.target(), "target"), findings);
            try {
                if (source.isPresent() && target.isPresent()) {
                    run(config, source.get(), target.get(), findings);
                }
            } finally {
                target.ifPresent(ServerSession::close);
            }
        } finally {
            source.ifPresent(ServerSession::close);
        }
        PreflightReport report = findings.report();
        log.info("preflight ({}): {} error(s), {} warning(s), {} finding(s) in all", config.mode(),
                report.errors().size(), report.warnings().size(), report.findings().size());
        return report;
    }

    private static void run(MigrationConfig config, ServerSession source, ServerSession target, Findings findings) {
        ServerChecks.versions(source, target, findings);
        List<DatabaseInfo> databases = DatabaseSelector.select(config.databases(), source, findings);
        boolean continuous = config.mode() == Mode.CONTINUOUS;
        ServerChecks.network(source, findings);
        ConnectionBudget.check(config, source, target, databases.size(), findings);
        if (continuous) {
            ServerChecks.replicationSettings(source, config.migrationId(), databases, findings);
            SourceActivityChecks.check(source, config.migrationId(), databases, findings);
            ServerChecks.ddlCapture(source, config.captureDdl(), findings);
        }
        boolean canReplicate = continuous && ServerChecks.replicationRole(source, findings);
        SourceDatabaseChecks sourceChecks = new SourceDatabaseChecks(config, source, canReplicate, findings);
        for (DatabaseInfo db : databases) {
            sourceChecks.check(db);
        }
        new TargetChecks(config, target, findings).check(databases, sourceChecks.extensions());
        RoleChecks.check(config.roles(), source, target, databases, findings);
    }
}
