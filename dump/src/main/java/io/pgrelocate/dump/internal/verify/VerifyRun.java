package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.DatabaseSelection;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.spi.ClusterInspector;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.DatabaseResolver;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.Difference;
import io.pgrelocate.dump.VerifyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** One run of {@code verify}: resolves the databases, then verifies them one after the other. */
public final class VerifyRun {
    private static final Logger log = LoggerFactory.getLogger(VerifyRun.class);

    /** What every database's verification shares. */
    record Settings(PgConnector source, PgConnector target, int jobs, String stateSchema, Set<String> sourceRoles,
                    Set<String> targetRoles, int sourceMajor, int targetMajor, boolean compareData) {
        Set<String> commonRoles() {
            Set<String> common = new HashSet<>(sourceRoles);
            common.retainAll(targetRoles);
            return common;
        }
    }

    private final PgConnector source;
    private final PgConnector target;
    private final DatabaseSelection selection;
    private final int jobs;
    private final String stateSchema;
    private final boolean compareData;

    public VerifyRun(PgConnector source, PgConnector target, DatabaseSelection selection, int jobs,
                     String stateSchema) {
        this(source, target, selection, jobs, stateSchema, true);
    }

    /** @param compareData whether rows and sequences are compared too, not only the schema */
    public VerifyRun(PgConnector source, PgConnector target, DatabaseSelection selection, int jobs,
                     String stateSchema, boolean compareData) {
        this.source = source;
        this.target = target;
        this.selection = selection;
        this.jobs = jobs;
        this.stateSchema = stateSchema;
        this.compareData = compareData;
    }

    public VerifyResult run() {
        long started = System.nanoTime();
        List<DatabaseInfo> sourceDatabases;
        Set<String> sourceRoles;
        Map<String, DatabaseInfo> targetDatabases = new LinkedHashMap<>();
        Set<String> targetRoles;
        int sourceMajor;
        int targetMajor;
        try (Connection s = source.open("verify")) {
            sourceDatabases = DatabaseResolver.resolve(selection, ClusterInspector.databases(s), source.endpoint());
            sourceRoles = roles(s, source);
            sourceMajor = ClusterInspector.versionNum(s) / 10000;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.CONNECTION_FAILED, "cannot close a connection to the source", e);
        }
        try (Connection t = target.open("verify")) {
            ClusterInspector.databases(t).forEach(d -> targetDatabases.put(d.name(), d));
            targetRoles = roles(t, target);
            targetMajor = ClusterInspector.versionNum(t) / 10000;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.CONNECTION_FAILED, "cannot close a connection to the target", e);
        }
        Settings settings = new Settings(source, target, jobs, stateSchema, sourceRoles, targetRoles, sourceMajor,
                targetMajor, compareData);
        List<Difference> differences = new ArrayList<>();
        long objects = 0;
        long tables = 0;
        long rows = 0;
        for (DatabaseInfo db : sourceDatabases) {
            DatabaseInfo other = targetDatabases.get(db.name());
            if (other == null) {
                differences.add(new Difference(db.name(), "database", db.name(),
                        Difference.Problem.MISSING_ON_TARGET, ""));
                continue;
            }
            databaseAttributes(db, other, settings).ifPresent(differences::add);
            log.info("verifying database {}", db.name());
            long start = System.nanoTime();
            DatabaseVerification.Outcome outcome = new DatabaseVerification(settings, db.name()).run();
            log.info("database {} verified in {} ms: {} objects, {} tables ({} rows), {} difference(s)", db.name(),
                    (System.nanoTime() - start) / 1_000_000, outcome.objects(), outcome.tables(), outcome.rows(),
                    outcome.differences().size());
            differences.addAll(outcome.differences());
            objects += outcome.objects() + 1;
            tables += outcome.tables();
            rows += outcome.rows();
        }
        return new VerifyResult(sourceDatabases.stream().map(DatabaseInfo::name).toList(), differences, objects,
                tables, rows, Duration.ofNanos(System.nanoTime() - started));
    }

    private static Optional<Difference> databaseAttributes(DatabaseInfo s, DatabaseInfo t, Settings settings) {
        List<String> parts = new ArrayList<>();
        compare(parts, "encoding", s.encoding(), t.encoding());
        compare(parts, "collate", s.collate(), t.collate());
        compare(parts, "ctype", s.ctype(), t.ctype());
        compare(parts, "locale provider", s.localeProvider(), t.localeProvider());
        compare(parts, "locale", s.locale(), t.locale());
        if (settings.targetRoles().contains(s.owner()) && settings.sourceRoles().contains(t.owner())) {
            compare(parts, "owner", s.owner(), t.owner());
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(new Difference(s.name(), "database", s.name(),
                Difference.Problem.DEFINITION_DIFFERS, String.join("; ", parts)));
    }

    private static void compare(List<String> parts, String name, String source, String target) {
        if (!Objects.equals(source, target)) {
            parts.add(name + ": " + TextDiff.describe(source, target));
        }
    }

    private static Set<String> roles(Connection c, PgConnector server) {
        Set<String> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(CatalogQueries.ROLES)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot list the roles of the " + server.role(), e);
        }
    }
}
