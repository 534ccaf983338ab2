package io.pgrelocate.preflight;

import io.pgrelocate.core.Finding;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;
import io.pgrelocate.core.SslMode;
import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;

import static io.pgrelocate.preflight.Reports.describe;
import static io.pgrelocate.preflight.Reports.noProblems;
import static io.pgrelocate.preflight.Reports.onlyProblem;
import static io.pgrelocate.preflight.Reports.problems;
import static io.pgrelocate.preflight.Reports.statements;
import static org.assertj.core.api.Assertions.assertThat;

/** Preflight against a correctly configured pair of PostgreSQL 17 servers, each case wrong in one way. */
class PreflightIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    private MigrationBuilder migration(Mode mode, String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(mode).databases(db).migrationId(pg.migrationId());
    }

    private static PreflightReport check(MigrationBuilder builder) {
        try (Migration m = builder.build()) {
            return m.preflight(); // through the ServiceLoader registration
        }
    }

    @Test
    void aCorrectlyConfiguredPairHasNoErrorsAndNoWarnings() {
        String db = pg.newDatabase("ready");
        pg.source().execute(db, "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO orders (note) VALUES ('a'), ('b')");

        PreflightReport continuous = check(migration(Mode.CONTINUOUS, db));
        PreflightReport dump = check(migration(Mode.DUMP, db));

        noProblems(continuous);
        noProblems(dump);
        assertThat(continuous.withCode(FindingCode.SEQUENCES_SYNCED_AT_CUTOVER.name())).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(continuous.withCode(FindingCode.SSL_NEGOTIATED.name())).hasSize(2);
    }

    @Test
    void aTableWithoutKeyIsAnErrorUntilItsReplicaIdentityIsSet() {
        String db = pg.newDatabase("keyless");
        pg.source().execute(db, "CREATE TABLE ok (id int PRIMARY KEY)",
                "CREATE TABLE events (at timestamptz, what text)",
                "CREATE TABLE tagged (code text NOT NULL, v int)", "CREATE UNIQUE INDEX tagged_code ON tagged (code)");

        PreflightReport report = check(migration(Mode.CONTINUOUS, db));
        Finding f = onlyProblem(report, FindingCode.TABLE_WITHOUT_REPLICA_IDENTITY, Severity.ERROR);
        assertThat(f.message()).contains("public.events", "public.tagged").doesNotContain("public.ok");
        assertThat(f.remediation()).contains("ALTER TABLE \"public\".\"events\" REPLICA IDENTITY FULL;")
                .contains("ALTER TABLE \"public\".\"tagged\" REPLICA IDENTITY USING INDEX \"tagged_code\";");
        assertThat(check(migration(Mode.DUMP, db)).hasErrors()).as("dump mode does not replicate").isFalse();

        PreflightReport consented = check(migration(Mode.CONTINUOUS, db).setReplicaIdentityFull(true));
        noProblems(consented);
        assertThat(consented.withCode(FindingCode.REPLICA_IDENTITY_WILL_BE_SET.name())).singleElement()
                .satisfies(i -> assertThat(i.message()).contains("public.events", "public.tagged"));

        pg.source().execute(db, statements(f));
        noProblems(check(migration(Mode.CONTINUOUS, db)));
    }

    @Test
    void keylessPartitionsAndTheirRootAreErrorsUntilTheirReplicaIdentityIsSet() {
        String db = pg.newDatabase("parts");
        pg.source().execute(db, "CREATE TABLE reading (at date NOT NULL, v int) PARTITION BY RANGE (at)",
                "CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE reading_rest PARTITION OF reading DEFAULT");

        Finding f = onlyProblem(check(migration(Mode.CONTINUOUS, db)), FindingCode.TABLE_WITHOUT_REPLICA_IDENTITY,
                Severity.ERROR);
        assertThat(f.message()).contains("public.reading,", "public.reading_2025", "public.reading_rest");

        pg.source().execute(db, statements(f));
        noProblems(check(migration(Mode.CONTINUOUS, db)));
    }

    @Test
    void unloggedTablesAndAnotherMigrationsLeftoverSlotAreWarningsThePrintedSqlClears() {
        String db = pg.newDatabase("leftover");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY)",
                "SELECT pg_create_logical_replication_slot(" + Sql.literal(Names.slot("crashed", db)) + ", 'pgoutput')");

        PreflightReport report = check(migration(Mode.CONTINUOUS, db));
        assertThat(problems(report)).as(describe(report)).extracting(Finding::code)
                .containsExactlyInAnyOrder(FindingCode.UNLOGGED_TABLES.name(),
                        FindingCode.LEFTOVER_SLOTS_OR_PUBLICATIONS.name());
        for (Finding f : problems(report)) {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            pg.source().execute(db, statements(f));
        }
        assertThat(report.withCode(FindingCode.LEFTOVER_SLOTS_OR_PUBLICATIONS.name()).get(0).remediation())
                .contains("pgrelocate cleanup");
        noProblems(check(migration(Mode.CONTINUOUS, db)));
    }

    @Test
    void aRoleWithoutSelectOnOneTableIsToldWhichGrantIsMissing() {
        String db = pg.newDatabase("grants");
        String role = "pf_reader_" + db.substring(db.lastIndexOf('_') + 1);
        pg.source().execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'reader-pw'");
        try {
            pg.source().execute(db, "CREATE TABLE a (id serial PRIMARY KEY)", "CREATE TABLE \"Secret\" (id int)",
                    "GRANT SELECT ON a TO " + role, "GRANT SELECT ON SEQUENCE a_id_seq TO " + role);
            MigrationBuilder asReader = Migration.builder()
                    .source(pg.source().uri(role, "reader-pw", "postgres")).target(pg.target().endpoint("postgres"))
                    .mode(Mode.DUMP).databases(db).migrationId(pg.migrationId());

            Finding f = onlyProblem(check(asReader), FindingCode.ROLE_MISSING_SELECT, Severity.ERROR);
            assertThat(f.message()).contains("public.\"Secret\"").doesNotContain("public.a,").contains("1 object");
            assertThat(f.subject()).isEqualTo(role + "@" + db);
            assertThat(f.remediation()).contains("GRANT SELECT ON TABLE \"public\".\"Secret\" TO \"" + role + "\";");

            pg.source().execute(db, statements(f));
            noProblems(check(asReader));
        } finally {
            pg.source().execute(db, "DROP OWNED BY " + role);
            pg.source().execute("postgres", "DROP ROLE " + role);
        }
    }

    @Test
    void aContinuousRoleNeedsReplicationAndOwnershipOfWhatItPublishes() {
        String db = pg.newDatabase("publisher");
        String role = "pf_publisher_" + db.substring(db.lastIndexOf('_') + 1);
        pg.source().execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'publisher-pw'",
                "GRANT CREATE ON DATABASE " + db + " TO " + role);
        try {
            pg.source().execute(db, "CREATE TABLE mine (id int PRIMARY KEY)", "ALTER TABLE mine OWNER TO " + role);
            MigrationBuilder asPublisher = Migration.builder()
                    .source(pg.source().uri(role, "publisher-pw", "postgres")).target(pg.target().endpoint("postgres"))
                    // schema-change capture needs a superuser: that warning has its own test below
                    .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).captureDdl(false);

            Finding noReplication = onlyProblem(check(asPublisher), FindingCode.ROLE_NOT_REPLICATION, Severity.ERROR);
            assertThat(noReplication.remediation()).isEqualTo("ALTER ROLE \"" + role + "\" REPLICATION;");
            pg.source().execute("postgres", statements(noReplication));
            noProblems(check(asPublisher)); // the replication connection now succeeds too

            pg.source().execute(db, "CREATE TABLE theirs (id int PRIMARY KEY)", "GRANT SELECT ON theirs TO " + role);
            Finding notOwner = onlyProblem(check(asPublisher), FindingCode.ROLE_CANNOT_PUBLISH, Severity.ERROR);
            assertThat(notOwner.message()).contains("public.theirs").doesNotContain("public.mine");
            pg.source().execute(db, statements(notOwner));
            noProblems(check(asPublisher));
        } finally {
            pg.source().execute(db, "DROP OWNED BY " + role);
            pg.source().execute("postgres", "DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    // guards issue 9: a source role that cannot capture schema changes is told they will stop the migration
    @Test
    void aNonSuperuserSourceIsWarnedThatSchemaChangesWillStopTheMigration() {
        String db = pg.newDatabase("noddl");
        String role = "pf_noddl_" + db.substring(db.lastIndexOf('_') + 1);
        pg.source().execute("postgres", "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'noddl-pw'",
                "GRANT CREATE ON DATABASE " + db + " TO " + role);
        try {
            pg.source().execute(db, "CREATE TABLE mine (id int PRIMARY KEY)", "ALTER TABLE mine OWNER TO " + role);
            MigrationBuilder asOwner = Migration.builder()
                    .source(pg.source().uri(role, "noddl-pw", "postgres")).target(pg.target().endpoint("postgres"))
                    .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId());

            Finding f = onlyProblem(check(asOwner), FindingCode.SCHEMA_CHANGES_NOT_CAPTURED, Severity.WARNING);
            assertThat(f.message()).contains("not a superuser").contains("stops the migration")
                    .contains("ends FAILED");
            pg.source().execute("postgres", statements(f));
            noProblems(check(asOwner));
        } finally {
            pg.source().execute(db, "DROP OWNED BY " + role);
            pg.source().execute("postgres", "DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void aNonEmptyTargetDatabaseBlocksUnlessAllowed() {
        String db = pg.newDatabase("occupied");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        pg.target().createDatabase(db);
        pg.target().execute(db, "CREATE TABLE leftover (id int)");

        Finding f = onlyProblem(check(migration(Mode.DUMP, db)), FindingCode.TARGET_DATABASE_NOT_EMPTY, Severity.ERROR);
        assertThat(f.message()).contains("public.leftover");
        assertThat(f.remediation()).contains("DROP DATABASE " + Sql.ident(db) + ";");
        PreflightReport allowed = check(migration(Mode.DUMP, db).allowNonEmptyTarget(true));
        noProblems(allowed);
        assertThat(allowed.withCode(FindingCode.TARGET_DATABASE_NOT_EMPTY.name())).singleElement()
                .satisfies(i -> assertThat(i.severity()).isEqualTo(Severity.INFO));

        pg.target().execute("postgres", statements(f));
        noProblems(check(migration(Mode.DUMP, db)));
    }

    @Test
    void aTargetDatabaseThisMigrationCopiedBeforeIsResumedNotRefused() {
        String db = pg.newDatabase("resumed");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        pg.target().createDatabase(db);
        pg.target().execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        MigrationBuilder builder = migration(Mode.DUMP, db);
        String id = builder.build().config().migrationId();
        // the state an interrupted run of this migration leaves (the real table has more columns)
        pg.target().execute("postgres", "CREATE SCHEMA pgrelocate",
                "CREATE TABLE pgrelocate.database_status (migration_id text, database text)",
                "INSERT INTO pgrelocate.database_status VALUES (" + Sql.literal(id) + ", " + Sql.literal(db) + ")");

        PreflightReport report = check(builder);
        noProblems(report);
        assertThat(report.withCode(FindingCode.TARGET_DATABASE_NOT_EMPTY.name())).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("resumes"));
        onlyProblem(check(migration(Mode.DUMP, db)), FindingCode.TARGET_DATABASE_NOT_EMPTY, Severity.ERROR);
    }

    @Test
    void aPreparedTransactionIsNamedWithHowToResolveIt() {
        String db = pg.newDatabase("prepared");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        String gid = "pf_" + db;
        pg.source().execute(db, "BEGIN", "INSERT INTO t VALUES (1)", "PREPARE TRANSACTION " + Sql.literal(gid));
        try {
            Finding f = onlyProblem(check(migration(Mode.CONTINUOUS, db)), FindingCode.PREPARED_TRANSACTIONS,
                    Severity.WARNING);
            assertThat(f.message()).contains(gid);
            assertThat(f.remediation()).contains("COMMIT PREPARED '" + gid + "';");

            pg.source().execute(db, statements(f));
            noProblems(check(migration(Mode.CONTINUOUS, db)));
            assertThat(pg.source().queryLong(db, "SELECT count(*) FROM t")).isEqualTo(1);
        } finally {
            if (!pg.source().queryColumn("postgres", "SELECT gid FROM pg_prepared_xacts WHERE gid = "
                    + Sql.literal(gid)).isEmpty()) {
                pg.source().execute(db, "ROLLBACK PREPARED " + Sql.literal(gid));
            }
        }
    }

    @Test
    void requiringTlsFromAServerWithoutItSaysSo() {
        PreflightReport report = check(Migration.builder()
                .source(pg.source().endpoint("postgres").withSslMode(SslMode.REQUIRE))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP));
        Finding f = onlyProblem(report, FindingCode.SSL_UNAVAILABLE, Severity.ERROR);
        assertThat(f.message()).contains("sslmode=require");
        assertThat(f.remediation()).contains("ALTER SYSTEM SET ssl = on;").contains("sslmode=disable");
    }

    @Test
    void anUnreachableServerIsTheOnlyFinding() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PreflightReport report = check(Migration.builder()
                .source("postgresql://postgres:pw-x2@127.0.0.1:" + closedPort + "/postgres?sslmode=disable")
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS));
        Finding f = onlyProblem(report, FindingCode.SERVER_UNREACHABLE, Severity.ERROR);
        assertThat(f.subject()).isEqualTo("source");
        assertThat(f.message()).contains("127.0.0.1:" + closedPort).doesNotContain("pw-x2");
        assertThat(ReportRenderer.text(report) + ReportRenderer.json(report)).doesNotContain("pw-x2")
                .doesNotContain(PostgresServer.PASSWORD);
    }

    // guards: preflight says which roles the migration will create and which the target has already
    @Test
    void reportsWhichRolesWillBeCreatedAndWhichAreLeftAsTheyAre() {
        String db = pg.newDatabase("roles");
        String owner = pg.uniqueName("pf_owner").replace('-', '_');
        String shared = pg.uniqueName("pf_shared").replace('-', '_');
        try {
            pg.source().execute("postgres", "CREATE ROLE " + owner + " LOGIN", "CREATE ROLE " + shared,
                    "ALTER DATABASE " + db + " OWNER TO " + owner);
            pg.target().execute("postgres", "CREATE ROLE " + shared);
            pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "GRANT SELECT ON t TO " + shared);

            PreflightReport report = check(migration(Mode.DUMP, db));

            assertThat(report.withCode(FindingCode.ROLES_TO_CREATE.name())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains(owner).doesNotContain(shared));
            assertThat(report.withCode(FindingCode.ROLES_ALREADY_ON_TARGET.name())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains(shared));
            assertThat(check(migration(Mode.DUMP, db).roles(io.pgrelocate.core.RoleSelection.NONE))
                    .withCode(FindingCode.ROLES_TO_CREATE.name())).as("roles(NONE)").isEmpty();
        } finally {
            pg.afterEach(null);
            pg.source().execute("postgres", "DROP ROLE IF EXISTS " + owner, "DROP ROLE IF EXISTS " + shared);
            pg.target().execute("postgres", "DROP ROLE IF EXISTS " + shared);
        }
    }

    // guards: preflight names the login roles that will arrive without a password (a source login that may not read
    // pg_authid), the roles a target login without CREATEROLE cannot create, and what CREATEROLE may not grant
    @Test
    void reportsRolesNeedingAPasswordAndRolesTheTargetLoginCannotCreate() {
        String db = pg.newDatabase("roles_limits");
        String owner = pg.uniqueName("pf_owner").replace('-', '_');
        String app = pg.uniqueName("pf_app").replace('-', '_');
        try (io.pgrelocate.testkit.TestRole reader = io.pgrelocate.testkit.TestRole.create(pg.source(), "pf_reader");
             io.pgrelocate.testkit.TestRole plain = io.pgrelocate.testkit.TestRole.create(pg.target(), "pf_plain");
             io.pgrelocate.testkit.TestRole creator = io.pgrelocate.testkit.TestRole.create(pg.target(), "pf_creator",
                     "CREATEROLE")) {
            pg.source().execute("postgres", "CREATE ROLE " + owner + " NOLOGIN REPLICATION",
                    "CREATE ROLE " + app + " LOGIN PASSWORD 'pf-secret-5'", "ALTER DATABASE " + db + " OWNER TO " + owner);
            pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "GRANT SELECT ON t TO " + app,
                    "GRANT SELECT ON t TO " + reader.quoted());

            PreflightReport unreadable = check(Migration.builder().source(reader.endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).migrationId(pg.migrationId()));
            assertThat(unreadable.withCode(FindingCode.ROLES_NEED_PASSWORD.name())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains(app).doesNotContain(owner)
                            .doesNotContain("pf-secret-5"));
            PreflightReport noCreateRole = check(Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(plain.endpoint("postgres")).mode(Mode.DUMP).databases(db).migrationId(pg.migrationId()));
            assertThat(noCreateRole.withCode(FindingCode.ROLES_NOT_CREATABLE.name())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains(owner, app, "neither SUPERUSER nor CREATEROLE"));
            assertThat(noCreateRole.withCode(FindingCode.ROLES_TO_CREATE.name())).isEmpty();
            PreflightReport createRole = check(Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(creator.endpoint("postgres")).mode(Mode.DUMP).databases(db).migrationId(pg.migrationId()));
            assertThat(createRole.withCode(FindingCode.ROLES_NOT_CREATABLE.name())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("role " + owner + " will be created without "
                            + "REPLICATION"));
            assertThat(createRole.withCode(FindingCode.ROLES_TO_CREATE.name())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains(owner, app));
        } finally {
            pg.afterEach(null);
            for (PostgresServer s : java.util.List.of(pg.source(), pg.target())) {
                s.execute("postgres", "DROP ROLE IF EXISTS " + owner, "DROP ROLE IF EXISTS " + app);
            }
        }
    }
}
