package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The target's side: databases that exist already (and hold tables), the rights to create databases and
 * schemas, whether apply can suppress triggers, encodings and locales, and the source's extensions.
 */
public final class TargetChecks {
    private static final String USER_TABLES = "SELECT n.nspname, c.relname FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f', 'm') AND "
            + Queries.USER_SCHEMA + " AND n.nspname <> ? AND " + Queries.NOT_EXTENSION_MEMBER + " ORDER BY 1, 2";

    private final MigrationConfig config;
    private final ServerSession target;
    private final Findings findings;
    private final Locales locales;
    private Set<String> resumed = Set.of();

    public TargetChecks(MigrationConfig config, ServerSession target, Findings findings) {
        this.config = config;
        this.target = target;
        this.findings = findings;
        this.locales = new Locales(target);
    }

    public void check(List<DatabaseInfo> databases, List<SourceDatabaseChecks.SourceExtension> extensions) {
        try {
            resumed = resumedDatabases();
            List<String> toCreate = new ArrayList<>();
            for (DatabaseInfo source : databases) {
                Optional<DatabaseInfo> existing = target.database(source.name());
                if (existing.isPresent()) {
                    existingDatabase(source, existing.get());
                } else {
                    toCreate.add(source.name());
                    locales.checkCreatable(source, findings);
                }
            }
            if (!toCreate.isEmpty() && !target.canCreateDatabases()) {
                findings.error(FindingCode.TARGET_CANNOT_CREATE_DATABASE, target.user(), "role " + target.user()
                        + " may not create databases on the target, and " + toCreate.size() + " are missing there: "
                        + Findings.listed(toCreate, 10), "ALTER ROLE " + Sql.ident(target.user()) + " CREATEDB;\n"
                        + Sql.comment("or create them beforehand, owned by " + Sql.ident(target.user())));
            }
            stateSchema();
            if (config.mode() == Mode.CONTINUOUS) {
                triggers();
            }
            Extensions.check(extensions, target, findings);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot inspect the target", e);
        }
    }

    private void existingDatabase(DatabaseInfo source, DatabaseInfo existing) throws SQLException {
        String db = source.name();
        try (Connection c = target.connector().open(db, "preflight")) {
            List<String> tables = Queries.rows(c, USER_TABLES, config.stateSchema()).stream()
                    .map(r -> new QualifiedName(r.get(0), r.get(1)).display()).toList();
            if (!tables.isEmpty() && resumed.contains(db)) {
                findings.info(FindingCode.TARGET_DATABASE_NOT_EMPTY, db, "target database " + db + " holds what an "
                        + "earlier run of migration " + config.migrationId() + " copied; the migration resumes it", "");
            } else if (!tables.isEmpty()) {
                String message = "target database " + db + " already exists and holds " + tables.size()
                        + " table(s): " + Findings.listed(tables, 10);
                if (config.allowNonEmptyTarget()) {
                    findings.info(FindingCode.TARGET_DATABASE_NOT_EMPTY, db, message + "; allowed, the copy goes "
                            + "into it", "");
                } else {
                    findings.error(FindingCode.TARGET_DATABASE_NOT_EMPTY, db, message, "DROP DATABASE "
                            + Sql.ident(db) + ";   -- on the target, if what it holds is not needed\n"
                            + Sql.comment("or leave this database out (--ignore-database " + db + "), or allow "
                            + "a non-empty target (allowNonEmptyTarget / --allow-non-empty-target)"));
                }
            }
            if (!target.info().superuser() && !Queries.bool(c, "SELECT has_database_privilege(current_database(), "
                    + "'CREATE')")) {
                cannotCreateSchema(db);
            }
        } catch (PgRelocateException e) {
            findings.error(ServerSession.connectCode(e.code()), db, e.getMessage(), "GRANT CONNECT ON DATABASE "
                    + Sql.ident(db) + " TO " + Sql.ident(target.user()) + ";");
        }
        if (!Objects.equals(source.encoding(), existing.encoding())) {
            findings.warning(FindingCode.ENCODING_DIFFERS, db, "database " + db + ": encoding " + source.encoding()
                    + " on the source, " + existing.encoding() + " on the target; text that the target's encoding "
                    + "cannot represent fails to copy", "DROP DATABASE " + Sql.ident(db) + ";   -- on the target, "
                    + "if it may go: the migration then creates it with the source's encoding");
        }
        locales.compare(source, existing, findings);
    }

    // an interrupted run of the same migration left its databases on the target: those it resumes
    private Set<String> resumedDatabases() throws SQLException {
        if (!stateSchemaUsable()) {
            return Set.of();
        }
        String table = Sql.qualified(config.stateSchema(), "database_status");
        if (Queries.value(target.connection(), "SELECT to_regclass(?)::text", table) == null) {
            return Set.of();
        }
        return new HashSet<>(Queries.column(target.connection(), "SELECT database FROM " + table
                + " WHERE migration_id = ?", config.migrationId()));
    }

    // a state schema left by a run under another role: reading it would fail with a bare "permission denied"
    private boolean stateSchemaUsable() throws SQLException {
        List<List<String>> owner = Queries.rows(target.connection(), "SELECT pg_get_userbyid(nspowner), current_user "
                + "FROM pg_namespace WHERE nspname = ? AND NOT pg_has_role(nspowner, 'USAGE')", config.stateSchema());
        if (owner.isEmpty()) {
            return true;
        }
        String schema = config.stateSchema();
        String other = owner.get(0).get(0);
        String me = owner.get(0).get(1);
        findings.error(FindingCode.STATE_SCHEMA_NOT_USABLE, schema, "the state schema " + schema + " on the target "
                + "belongs to role " + other + ", and role " + me + " may not use it (a run under " + other
                + " left it)", "GRANT " + Sql.ident(other) + " TO " + Sql.ident(me) + ";   -- as a superuser\n"
                + "-- or, if no migration of " + other + " is running: DROP SCHEMA " + Sql.ident(schema)
                + " CASCADE;\n-- or keep this run's state elsewhere: --state-schema NAME (stateSchema in the API)");
        return false;
    }

    private void cannotCreateSchema(String db) {
        findings.error(FindingCode.TARGET_CANNOT_CREATE_SCHEMA, target.user() + "@" + db, "role " + target.user()
                + " may not create schemas in target database " + db, "GRANT CREATE ON DATABASE " + Sql.ident(db)
                + " TO " + Sql.ident(target.user()) + ";");
    }

    private void stateSchema() throws SQLException {
        if (target.info().superuser()) {
            return;
        }
        boolean ok = Queries.bool(target.connection(), "SELECT has_database_privilege(current_database(), 'CREATE') "
                + "OR EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ? AND pg_has_role(nspowner, 'USAGE'))",
                config.stateSchema());
        if (!ok) {
            cannotCreateSchema(target.connector().endpoint().database());
        }
    }

    // apply sets session_replication_role = replica so target triggers do not fire twice
    private void triggers() throws SQLException {
        if (target.info().superuser()) {
            return;
        }
        boolean granted = target.info().atLeast(15) && Queries.bool(target.connection(),
                "SELECT has_parameter_privilege('session_replication_role', 'SET')");
        if (granted) {
            return;
        }
        String fix = target.info().atLeast(15)
                ? "GRANT SET ON PARAMETER session_replication_role TO " + Sql.ident(target.user()) + ";"
                : "-- PostgreSQL " + target.info().major() + " lets only a superuser set it: migrate as a superuser "
                + "on the target, or accept the fallback";
        findings.warning(FindingCode.TRIGGERS_NOT_SUPPRESSIBLE, target.user(), "role " + target.user() + " may "
                + "not SET session_replication_role on the target; while streaming, apply falls back to disabling "
                + "the user triggers and dropping the foreign keys of the tables it owns (those of other owners stay "
                + "in force, each named in a warning), and puts them back at cutover, stop or failure, foreign keys "
                + "validated again", fix);
    }
}
