package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Continuous mode brings the roles along as dump mode does, and the source's own publications: after the cutover
 * the application role logs in to the target with its old password and reads what it owns and was granted.
 */
class ContinuousRolesIT {
    private static final String OWNER = "cr_owner";
    private static final String APP = "cr_app";
    /** A login role with an md5 verifier, also an operator: CREATEROLE, REPLICATION, BYPASSRLS. */
    private static final String OPS = "cr_ops";

    // guards roles and publications in continuous mode, across majors too: created before the copy, identical
    // (attributes, verifiers, memberships, settings, comments) after the cutover
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"16, 17", "14, 18"})
    void aSourceOnlyRoleOwningAndGrantedArrivesAndLogsInWithItsOldPasswordAfterCutover(int sourceMajor,
                                                                                       int targetMajor) throws Exception {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        String db = pg.newDatabase("croles");
        boolean options = sourceMajor >= 16;
        try {
            pg.source().execute("postgres",
                    "CREATE ROLE " + OWNER + " NOLOGIN CREATEDB CONNECTION LIMIT 4",
                    "COMMENT ON ROLE " + OWNER + " IS 'owns the items'",
                    "ALTER ROLE " + OWNER + " SET work_mem = '8MB'",
                    "CREATE ROLE " + APP + " LOGIN VALID UNTIL '2040-01-01 00:00:00+00' PASSWORD 'cr-secret-7'",
                    "ALTER ROLE " + APP + " IN DATABASE " + Sql.ident(db) + " SET statement_timeout = '45s'",
                    "GRANT " + OWNER + " TO " + APP + (options ? " WITH INHERIT FALSE, SET TRUE" : ""),
                    "SET password_encryption = 'md5'",
                    "CREATE ROLE " + OPS + " LOGIN CREATEROLE REPLICATION BYPASSRLS PASSWORD 'ops-md5-3'",
                    "RESET password_encryption",
                    "GRANT " + OWNER + " TO " + OPS + " WITH ADMIN OPTION");
            pg.source().execute(db,
                    "CREATE TABLE item (id int PRIMARY KEY, v text)",
                    "ALTER TABLE item OWNER TO " + OWNER,
                    "CREATE TABLE note (id int PRIMARY KEY, body text)",
                    "GRANT SELECT, INSERT ON note TO " + APP,
                    "GRANT SELECT ON note TO " + OPS,
                    "CREATE PUBLICATION app_pub FOR TABLE item WITH (publish = 'insert, update')",
                    "INSERT INTO item SELECT g, 'v' || g FROM generate_series(1, 50) g",
                    "INSERT INTO note VALUES (1, 'first')");
            try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                    .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200)).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                pg.source().execute(db, "INSERT INTO note VALUES (2, 'streamed')");
                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }

            List<String> roles = List.of(OWNER, APP, OPS);
            assertThat(authid(pg.target(), roles)).as("pg_authid").isEqualTo(authid(pg.source(), roles)).hasSize(3);
            assertThat(pg.target().queryValue("postgres", "SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = '"
                    + OPS + "'")).as("an md5 verifier").isEqualTo("md5");
            String members = "SELECT r.rolname, u.rolname, m.admin_option" + (options ? ", m.inherit_option, "
                    + "m.set_option" : "") + " FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u "
                    + "ON u.oid = m.member WHERE u.rolname IN ('" + APP + "', '" + OPS + "') ORDER BY 1, 2";
            assertThat(pg.target().query("postgres", members)).as("pg_auth_members")
                    .isEqualTo(pg.source().query("postgres", members)).hasSize(2);
            String settings = "SELECT r.rolname, coalesce(d.datname, '-'), array_to_string(s.setconfig, ';') FROM "
                    + "pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = "
                    + "s.setdatabase WHERE r.rolname IN ('" + OWNER + "', '" + APP + "') ORDER BY 1, 2";
            assertThat(pg.target().query("postgres", settings)).as("pg_db_role_setting")
                    .isEqualTo(pg.source().query("postgres", settings)).hasSize(2);
            assertThat(pg.target().queryValue("postgres", "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles "
                    + "WHERE rolname = '" + OWNER + "'")).isEqualTo("owns the items");
            String acl = "SELECT relname, pg_get_userbyid(relowner), relacl::text FROM pg_class WHERE relname IN "
                    + "('item', 'note') ORDER BY 1";
            assertThat(pg.target().query(db, acl)).as("owners and grants").isEqualTo(pg.source().query(db, acl));
            assertThat(pg.target().queryColumn(db, "SELECT pubname || ' ' || tablename FROM pg_publication_tables"))
                    .as("the source's publication, not the migration's own").containsExactly("app_pub item");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.target().port() + "/"
                    + db, APP, "cr-secret-7"); Statement st = c.createStatement()) {
                st.execute("INSERT INTO note VALUES (3, 'from the app')");
                try (ResultSet rs = st.executeQuery("SELECT string_agg(body, ',' ORDER BY id) FROM note")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("granted to the application").isEqualTo("first,streamed,from the app");
                }
                // the membership is SET but not INHERIT, as on the source: the owner's table only after SET ROLE
                st.execute("SET ROLE " + OWNER);
                try (ResultSet rs = st.executeQuery("SELECT session_user, count(*) FROM item")) {
                    rs.next();
                    assertThat(rs.getString(1) + " " + rs.getLong(2)).isEqualTo(APP + " 50");
                }
            }
            // the md5 verifier answers md5 authentication with the old password (18 deprecates md5, still takes it)
            pg.target().prependHba("host all " + OPS + " 127.0.0.1/32 md5");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.target().port() + "/"
                    + db, OPS, "ops-md5-3"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT session_user, count(*) FROM note")) {
                rs.next();
                assertThat(rs.getString(1) + " " + rs.getLong(2)).isEqualTo(OPS + " 3");
            }
        } finally {
            pg.afterEach(null);
            for (PostgresServer s : List.of(pg.source(), pg.target())) {
                s.execute("postgres", "DROP ROLE IF EXISTS " + APP, "DROP ROLE IF EXISTS " + OPS,
                        "DROP ROLE IF EXISTS " + OWNER);
            }
        }
    }

    private static List<List<Object>> authid(PostgresServer s, List<String> roles) {
        return s.query("postgres", "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, "
                + "rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil::text, rolpassword FROM pg_authid WHERE "
                + "rolname IN (" + String.join(", ", roles.stream().map(Sql::literal).toList()) + ") ORDER BY 1");
    }
}
