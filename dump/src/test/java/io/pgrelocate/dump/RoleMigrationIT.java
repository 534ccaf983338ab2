package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.RoleSelection;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles come along before the schema: the ones the migrated database names (owners, grantees, role settings),
 * their members and the roles they belong to, with attributes, verifiers, settings, comments and memberships.
 */
class RoleMigrationIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    // guards: roles a database needs are recreated identically, and the application logs in with its old password
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"15, 15", "16, 16", "14, 18"})
    void neededRolesArriveWithAttributesMembershipsSettingsAndPasswords(int sourceMajor, int targetMajor) throws Exception {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        Names n = new Names();
        try {
            String db = pg.newDatabase("roles");
            setUp(pg, db, n);
            List<MigrationEvent> events = new CopyOnWriteArrayList<>();

            assertThat(migrate(pg, db, RoleSelection.NEEDED, events)).isEqualTo(MigrationState.COMPLETED);

            List<String> created = new ArrayList<>(List.of(n.owner, n.app, n.reader, n.group, n.clerk));
            if (sourceMajor >= 16) {
                created.add(n.granter);
            }
            assertThat(authid(pg.target(), created)).as("pg_authid of the created roles")
                    .isEqualTo(authid(pg.source(), created)).hasSize(created.size());
            boolean options = sourceMajor >= 16 && targetMajor >= 16;
            assertThat(members(pg.target(), n, options)).as("pg_auth_members").isEqualTo(members(pg.source(), n, options))
                    .isNotEmpty();
            if (sourceMajor < 16 && targetMajor >= 16) {
                // from an older source, a membership inherits as its member's INHERIT attribute said, and allows SET
                assertThat(memberOptions(pg.target(), n, "m.inherit_option, m.set_option"))
                        .as("INHERIT and SET of each membership on the target")
                        .isEqualTo(memberOptions(pg.source(), n, "u.rolinherit, true")).isNotEmpty();
            }
            assertThat(pg.target().queryValue("postgres", "SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = "
                    + Sql.literal(n.reader))).as("an md5 verifier").isEqualTo("md5");
            assertThat(settings(pg.target(), n)).as("pg_db_role_setting").isEqualTo(settings(pg.source(), n)).hasSize(2);
            assertThat(comments(pg.target(), n)).isEqualTo(List.of(n.owner + ": owns the shop"));
            assertThat(pg.target().queryValue(db, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = "
                    + "current_database()")).isEqualTo(n.owner);
            assertThat(pg.target().queryValue(db, "SELECT relowner::regrole::text || ' ' || relacl::text FROM pg_class "
                    + "WHERE relname = 'orders'")).isEqualTo(pg.source().queryValue(db, "SELECT relowner::regrole::text "
                    + "|| ' ' || relacl::text FROM pg_class WHERE relname = 'orders'"));
            assertThat(pg.target().queryLong("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = "
                    + Sql.literal(n.unrelated))).as("a role the database does not name").isZero();
            assertThat(pg.target().queryValue("postgres", "SELECT rolcanlogin::text || rolconnlimit FROM pg_roles WHERE "
                    + "rolname = " + Sql.literal(n.existing))).as("a role the target had, left as it was").isEqualTo("false7");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.target().port() + "/" + db,
                    n.app, "app-secret-1"); Statement st = c.createStatement()) {
                // on 16+ the membership is SET but not INHERIT, as on the source
                st.execute("SET ROLE " + q(n.owner));
                try (ResultSet rs = st.executeQuery("SELECT session_user, count(*) FROM orders")) {
                    rs.next();
                    assertThat(rs.getString(1) + " " + rs.getInt(2)).as("the application logs in with its old password")
                            .isEqualTo(n.app + " 2");
                }
            }
            // an md5 verifier copied as it is answers md5 authentication with the old password (18 deprecates it)
            pg.target().prependHba("host all " + n.reader + " 127.0.0.1/32 md5");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.target().port() + "/" + db,
                    n.reader, "reader-md5"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT session_user, count(*) FROM orders")) {
                rs.next();
                assertThat(rs.getString(1) + " " + rs.getInt(2)).as("the md5 role logs in with its old password")
                        .isEqualTo(n.reader + " 2");
            }
            assertThat(events).as("no event shows a password verifier")
                    .noneSatisfy(e -> assertThat(e.toString()).containsIgnoringCase("SCRAM-SHA-256$"))
                    .noneSatisfy(e -> assertThat(e.toString()).contains("privileges granted by"))
                    .noneSatisfy(e -> assertThat(e.toString()).contains("recorded with the migration's own grantor"));
        } finally {
            pg.afterEach(null);
            n.drop(pg);
        }
    }

    // guards: roles(ALL) brings every non-reserved role, roles(NONE) none
    @Test
    void allBringsEveryRoleAndNoneBringsNone() throws Exception {
        PgPairExtension pg = PgPairExtension.pair();
        Names n = new Names();
        try {
            String db = pg.newDatabase("roles_none");
            setUp(pg, db, n);
            assertThat(migrate(pg, db, RoleSelection.NONE, new ArrayList<>())).isEqualTo(MigrationState.COMPLETED);
            assertThat(pg.target().queryLong("postgres", "SELECT count(*) FROM pg_roles WHERE rolname IN ("
                    + Sql.literal(n.owner) + ", " + Sql.literal(n.app) + ")")).as("roles(NONE)").isZero();
            pg.afterEach(null);

            String db2 = pg.newDatabase("roles_all");
            pg.source().execute(db2, "CREATE TABLE t (id int)");
            String bootstrap = "SELECT rolname || ' ' || rolpassword FROM pg_authid WHERE oid = 10";
            String targetBootstrap = pg.target().queryValue("postgres", bootstrap);
            assertThat(targetBootstrap).as("same name, its own verifier (salted)")
                    .startsWith(PostgresServer.SUPERUSER + " ").isNotEqualTo(pg.source().queryValue("postgres", bootstrap));
            assertThat(migrate(pg, db2, RoleSelection.ALL, new ArrayList<>())).isEqualTo(MigrationState.COMPLETED);
            List<String> everyone = new ArrayList<>(List.of(n.owner, n.app, n.reader, n.group, n.unrelated, n.clerk));
            if (pg.source().major() >= 16) {
                everyone.add(n.granter);
            }
            assertThat(authid(pg.target(), everyone)).as("roles(ALL)").isEqualTo(authid(pg.source(), everyone))
                    .hasSize(everyone.size());
            assertThat(pg.target().queryValue("postgres", bootstrap)).as("the target's bootstrap superuser untouched")
                    .isEqualTo(targetBootstrap);
            assertThat(pg.target().queryValue("postgres", "SELECT rolcanlogin::text || rolconnlimit FROM pg_roles "
                    + "WHERE rolname = " + Sql.literal(n.existing))).as("a role the target had, left as it was")
                    .isEqualTo("false7");
            assertThat(pg.target().queryLong("postgres", "SELECT count(*) FROM pg_roles WHERE rolname ~ '^pg_'"))
                    .as("reserved roles untouched").isEqualTo(pg.source().queryLong("postgres",
                            "SELECT count(*) FROM pg_roles WHERE rolname ~ '^pg_'"));
        } finally {
            pg.afterEach(null);
            n.drop(pg);
        }
    }

    // guards: a target role with CREATEROLE but not superuser creates what its major lets it (17: the attributes it
    // has itself, memberships in roles it administers) and names the rest in warnings, never failing the copy
    @Test
    void aCreateRoleTargetRoleCreatesWhatItMayAndWarnsAboutTheRest() throws Exception {
        PgPairExtension pg = PgPairExtension.pair(17, 17);
        Names n = new Names();
        try (io.pgrelocate.testkit.TestRole migrator = io.pgrelocate.testkit.TestRole.create(pg.target(), "creator",
                "CREATEDB", "CREATEROLE")) {
            String db = pg.newDatabase("roles_createrole");
            setUp(pg, db, n);
            pg.target().execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + migrator.quoted());
            List<String> warnings = new CopyOnWriteArrayList<>();
            MigrationState end;
            try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(migrator.endpoint("postgres")).mode(Mode.DUMP).databases(db).roles(RoleSelection.NEEDED)
                    .migrationId(pg.migrationId()).acceptWarnings(true).listener(MigrationListener.of(e -> {
                        if (e instanceof MigrationEvent.SchemaWarning w) {
                            warnings.add(w.message());
                        }
                    })).build()) {
                end = m.start().await(Duration.ofMinutes(5));
            }

            assertThat(end).isEqualTo(MigrationState.COMPLETED);
            assertThat(pg.target().queryValue("postgres", "SELECT string_agg(rolname || ':' || rolreplication || "
                    + "rolbypassrls || rolcreatedb, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN ("
                    + String.join(", ", List.of(n.owner, n.app, n.group, n.reader).stream().map(Sql::literal).toList())
                    + ")")).as("created, without what CREATEROLE may not give").isEqualTo(String.join(",",
                    n.app + ":falsefalsefalse", n.group + ":falsefalsefalse", n.owner + ":falsefalsetrue",
                    n.reader + ":falsefalsefalse"));
            assertThat(warnings)
                    .anySatisfy(w -> assertThat(w).contains("role " + n.reader + " created without REPLICATION, BYPASSRLS"))
                    .anySatisfy(w -> assertThat(w).contains("membership in pg_read_all_stats not created"))
                    .anySatisfy(w -> assertThat(w).contains("membership in " + n.group)
                            .contains("recorded with the migration's own grantor, not " + n.owner));
            assertThat(members(pg.target(), n, false)).as("memberships among the created roles")
                    .contains(List.of(n.owner, n.app, true), List.of(n.group, n.owner, true),
                            List.of(n.group, n.reader, false));
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.target().port() + "/"
                    + db, n.app, "app-secret-1"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT session_user")) {
                rs.next();
                assertThat(rs.getString(1)).as("the application logs in with its old password").isEqualTo(n.app);
            }
        } finally {
            pg.afterEach(null);
            n.drop(pg);
        }
    }

    // guards: a source login that may not read pg_authid still brings the roles, and names the login roles that
    // arrive without a password (never a NOLOGIN one)
    @Test
    void aSourceLoginThatCannotReadVerifiersNamesTheRolesThatNeedAPassword() {
        PgPairExtension pg = PgPairExtension.pair();
        Names n = new Names();
        String readerName = null;
        try (io.pgrelocate.testkit.TestRole reader = io.pgrelocate.testkit.TestRole.create(pg.source(), "nopw")) {
            String db = pg.newDatabase("roles_nopw");
            pg.source().execute("postgres", "CREATE ROLE " + q(n.owner) + " NOLOGIN",
                    "CREATE ROLE " + q(n.app) + " LOGIN CONNECTION LIMIT 3 PASSWORD 'app-secret-3'");
            pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "ALTER TABLE t OWNER TO " + q(n.owner),
                    "GRANT SELECT ON t TO " + q(n.app), "GRANT SELECT ON t TO " + reader.quoted());
            readerName = reader.name();
            assertThat(pg.source().queryValue("postgres", "SELECT has_table_privilege(" + Sql.literal(reader.name())
                    + ", 'pg_authid', 'SELECT')::text")).isEqualTo("false");
            List<String> warnings = new CopyOnWriteArrayList<>();
            MigrationState end;
            try (Migration m = Migration.builder().source(reader.endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db)
                    .migrationId(pg.migrationId()).acceptWarnings(true).listener(MigrationListener.of(e -> {
                        if (e instanceof MigrationEvent.SchemaWarning w) {
                            warnings.add(w.message());
                        }
                    })).build()) {
                end = m.start().await(Duration.ofMinutes(3));
            }

            assertThat(end).isEqualTo(MigrationState.COMPLETED);
            assertThat(pg.target().query("postgres", "SELECT rolname, rolcanlogin, rolconnlimit, rolpassword IS NULL "
                    + "FROM pg_authid WHERE rolname IN (" + Sql.literal(n.owner) + ", " + Sql.literal(n.app) + ") ORDER BY 1"))
                    .as("created, without a verifier").containsExactly(List.of(n.app, true, 3, true),
                            List.of(n.owner, false, -1, true));
            assertThat(pg.target().queryValue(db, "SELECT pg_get_userbyid(relowner) || ' ' || relacl::text FROM pg_class "
                    + "WHERE relname = 't'")).isEqualTo(pg.source().queryValue(db, "SELECT pg_get_userbyid(relowner) || "
                    + "' ' || relacl::text FROM pg_class WHERE relname = 't'"));
            assertThat(warnings.stream().filter(w -> w.contains("created without their password")).toList())
                    .as("one warning naming the login role, not the NOLOGIN one").singleElement()
                    .satisfies(w -> assertThat(w).contains(n.app).doesNotContain(n.owner));
        } finally {
            pg.afterEach(null);
            n.drop(pg);
            if (readerName != null) {
                // the source login is a grantee, so it came along too
                pg.target().execute("postgres", "DROP ROLE IF EXISTS " + q(readerName));
            }
        }
    }

    private static void setUp(PgPairExtension pg, String db, Names n) {
        PostgresServer s = pg.source();
        String grantOptions = s.major() >= 16 ? " WITH ADMIN TRUE, INHERIT FALSE, SET TRUE" : " WITH ADMIN OPTION";
        s.execute("postgres",
                "CREATE ROLE " + q(n.owner) + " NOLOGIN CREATEDB CONNECTION LIMIT 5 VALID UNTIL '2031-02-03 04:05:06+00'",
                "COMMENT ON ROLE " + q(n.owner) + " IS 'owns the shop'",
                "ALTER ROLE " + q(n.owner) + " SET work_mem = '16MB'",
                "ALTER ROLE " + q(n.owner) + " SET search_path = app, public",
                "CREATE ROLE " + q(n.group) + " NOLOGIN NOINHERIT CREATEROLE",
                "CREATE ROLE " + q(n.app) + " LOGIN PASSWORD 'app-secret-1'",
                "GRANT " + q(n.owner) + " TO " + q(n.app) + grantOptions,
                "GRANT " + q(n.group) + " TO " + q(n.owner) + " WITH ADMIN OPTION",
                "GRANT pg_read_all_stats TO " + q(n.app),
                // an md5 verifier is copied as it is (18 deprecates md5 but still takes it)
                "SET password_encryption = 'md5'",
                "CREATE ROLE " + q(n.reader) + " LOGIN REPLICATION BYPASSRLS NOINHERIT PASSWORD 'reader-md5'",
                "RESET password_encryption",
                "CREATE ROLE " + q(n.unrelated) + " LOGIN CREATEROLE PASSWORD 'other-secret'",
                "CREATE ROLE " + q(n.existing) + " LOGIN CREATEDB",
                "CREATE ROLE " + q(n.clerk) + " NOLOGIN",
                "ALTER DATABASE " + q(db) + " OWNER TO " + q(n.owner),
                "ALTER ROLE " + q(n.app) + " IN DATABASE " + q(db) + " SET statement_timeout = '1min'");
        if (s.major() >= 16) {
            // a grantor other than the bootstrap superuser, holding ADMIN on the role (16+)
            s.execute("postgres", "GRANT " + q(n.group) + " TO " + q(n.reader) + " GRANTED BY " + q(n.owner));
            // a grantor the database names nowhere, only reached as the grantor of a needed membership: app
            // reaches group upwards (through owner), and granter is one of group's members, never reached downwards
            s.execute("postgres", "CREATE ROLE " + q(n.granter) + " NOLOGIN",
                    "GRANT " + q(n.group) + " TO " + q(n.granter) + " WITH ADMIN OPTION",
                    "GRANT " + q(n.group) + " TO " + q(n.app) + " WITH INHERIT FALSE GRANTED BY " + q(n.granter));
        }
        pg.target().execute("postgres", "CREATE ROLE " + q(n.existing) + " NOLOGIN CONNECTION LIMIT 7");
        s.execute(db,
                "CREATE TABLE orders (id int PRIMARY KEY, note text)",
                "ALTER TABLE orders OWNER TO " + q(n.owner),
                "GRANT SELECT ON orders TO " + q(n.reader),
                "GRANT INSERT ON orders TO " + q(n.existing),
                // an object privilege granted by a source-only role other than the owner: reader=r/clerk
                "GRANT SELECT, UPDATE ON orders TO " + q(n.clerk) + " WITH GRANT OPTION",
                "SET ROLE " + q(n.clerk),
                "GRANT SELECT ON orders TO " + q(n.reader),
                "RESET ROLE",
                "INSERT INTO orders VALUES (1, 'a'), (2, 'b')");
    }

    private static MigrationState migrate(PgPairExtension pg, String db, RoleSelection roles, List<MigrationEvent> events) {
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).jobs(2).roles(roles)
                .migrationId(pg.migrationId()).listener(MigrationListener.of(events::add)).build()) {
            return m.start().await(Duration.ofMinutes(5));
        }
    }

    private static List<List<Object>> authid(PostgresServer s, List<String> roles) {
        return s.query("postgres", "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, "
                + "rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil::text, rolpassword FROM pg_authid WHERE "
                + "rolname IN (" + String.join(", ", roles.stream().map(Sql::literal).toList()) + ") ORDER BY 1");
    }

    private static List<List<Object>> members(PostgresServer s, Names n, boolean options) {
        // the grantor: 16+ only (a superuser's grant reads as the bootstrap superuser, "postgres" on both)
        return s.query("postgres", "SELECT r.rolname, u.rolname, m.admin_option" + (options ? ", m.inherit_option, "
                + "m.set_option, pg_get_userbyid(m.grantor)" : "") + " FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u "
                + "ON u.oid = m.member WHERE u.rolname IN (" + n.inList() + ") ORDER BY 1, 2");
    }

    private static List<List<Object>> memberOptions(PostgresServer s, Names n, String options) {
        return s.query("postgres", "SELECT r.rolname, u.rolname, " + options + " FROM pg_auth_members m JOIN pg_roles r "
                + "ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname IN (" + n.inList() + ") "
                + "ORDER BY 1, 2");
    }

    private static List<List<Object>> settings(PostgresServer s, Names n) {
        return s.query("postgres", "SELECT r.rolname, coalesce(d.datname, '-'), array_to_string(s.setconfig, ';') FROM "
                + "pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = "
                + "s.setdatabase WHERE r.rolname IN (" + n.inList() + ") ORDER BY 1, 2");
    }

    private static List<String> comments(PostgresServer s, Names n) {
        return s.queryColumn("postgres", "SELECT rolname || ': ' || shobj_description(oid, 'pg_authid') FROM pg_roles "
                + "WHERE rolname IN (" + n.inList() + ") AND shobj_description(oid, 'pg_authid') IS NOT NULL");
    }

    private static String q(String name) {
        return Sql.ident(name);
    }

    /** Role names unique to one test (roles are cluster-wide and the servers shared). */
    private static final class Names {
        final int id = COUNTER.incrementAndGet();
        final String owner = "rm_owner_" + id;
        final String app = "rm_app_" + id;
        final String group = "rm_group_" + id;
        final String reader = "rm_reader_" + id;
        final String unrelated = "rm_unrelated_" + id;
        final String existing = "rm_existing_" + id;
        final String granter = "rm_granter_" + id;
        final String clerk = "rm_clerk_" + id;

        List<String> all() {
            // members before their grantors: DROP ROLE refuses a role that granted a membership still held (16+)
            return List.of(app, reader, granter, owner, group, unrelated, existing, clerk);
        }

        String inList() {
            return String.join(", ", all().stream().map(Sql::literal).toList());
        }

        void drop(PgPairExtension pg) {
            for (PostgresServer s : List.of(pg.source(), pg.target())) {
                for (String r : all()) {
                    s.execute("postgres", "DROP ROLE IF EXISTS " + q(r));
                }
            }
        }
    }
}
