package io.pgrelocate.replication;

import io.pgrelocate.core.FenceMode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.pgrelocate.replication.ChildMigration.caughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cutover fence comes off on every path that does not complete the cutover: a kill followed by cleanup, a
 * stop, a failing database, the cutover deadline. Each test holds the drain back with a lock on the target table.
 */
class FenceIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards the outage a killed cutover caused: cleanup must lift the fence and give CONNECT back exactly
    @Test
    void aKillDuringAStrongFenceFollowedByCleanupLeavesTheSourceWritableWithItsPrivilegesRestored() throws Exception {
        String db = database("killed");
        String app = appRole(db);
        String admin = pg.uniqueName("admin");
        pg.source().execute("postgres", "CREATE ROLE " + admin,
                "GRANT CONNECT ON DATABASE " + db + " TO " + admin + " WITH GRANT OPTION");
        String aclBefore = acl(db);
        String id = pg.migrationId();
        Path log = Path.of("target", "child-logs", id + ".log");
        Process child = ChildMigration.start(pg.source(), pg.target(), log, FenceMode.STRONG, id, db);
        try {
            await().ignoreExceptions().atMost(Duration.ofMinutes(2)).until(() -> caughtUp(pg.target(), id));
            try (Connection blocker = lockTarget(db)) {
                pg.source().execute(db, "INSERT INTO item VALUES (2, 'written before the cutover')");
                try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                    control.requestCutover(id);
                }
                await().ignoreExceptions().atMost(Duration.ofMinutes(1)).until(() -> fenced(db) && !canWriteAs(app, db));
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(fenced(db)).as("a killed process leaves its fence").isTrue();

                List<String> done = Cleanup.run(pg.source().endpoint("postgres"));

                assertThat(done).contains("fence on database " + db + " (migration " + id + ")");
                assertWritableAsBefore(db, aclBefore);
                assertThat(canWriteAs(app, db)).as("the application role connects and writes again").isTrue();
                blocker.rollback();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    // guards a resumed run after a kill mid-cutover: it gives the source its writes back before anything else
    @Test
    void aRunResumedAfterAKillDuringTheCutoverLiftsTheFenceAndCutsOverAgain() throws Exception {
        String db = database("resumed");
        String aclBefore = acl(db);
        String id = pg.migrationId();
        Path log = Path.of("target", "child-logs", id + ".log");
        Process child = ChildMigration.start(pg.source(), pg.target(), log, FenceMode.READ_ONLY, id, db);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> caughtUp(pg.target(), id));
            try (Connection blocker = lockTarget(db)) {
                pg.source().execute(db, "INSERT INTO item VALUES (2, 'written before the cutover')");
                try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                    control.requestCutover(id);
                }
                await().ignoreExceptions().atMost(Duration.ofMinutes(1)).until(() -> fenced(db));
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                blocker.rollback();
            }
        } finally {
            child.destroyForcibly();
        }
        try (Migration m = builder(db).migrationId(id).build()) {
            MigrationHandle handle = m.start();
            await().ignoreExceptions().atMost(Duration.ofMinutes(1)).until(() -> !fenced(db));
            assertWritableAsBefore(db, aclBefore);
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }

    // guards a stop during the drain: the source must not stay read-only
    @Test
    void aStopDuringTheDrainLiftsTheFence() throws Exception {
        String db = database("stopped");
        String aclBefore = acl(db);
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            try (Connection blocker = lockTarget(db)) {
                pg.source().execute(db, "INSERT INTO item VALUES (2, 'written before the cutover')");
                handle.requestCutover();
                await().ignoreExceptions().atMost(Duration.ofMinutes(1)).until(() -> fenced(db));
                handle.requestStop();
                await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> !fenced(db));
                blocker.rollback();
            }
            assertThat(handle.await(Duration.ofMinutes(2))).isEqualTo(MigrationState.STOPPED);
        }
        assertWritableAsBefore(db, aclBefore);
    }

    // guards a database failing during the drain: the run fails and the fence comes off
    @Test
    void aDatabaseFailingDuringTheDrainLiftsTheStrongFence() throws Exception {
        String db = database("failing");
        appRole(db);
        String aclBefore = acl(db);
        try (Migration m = builder(db).fence(FenceMode.STRONG).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            try (Connection blocker = pg.target().connect(db); Statement st = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                st.execute("INSERT INTO item VALUES (2, 'already on the target')");
                pg.source().execute(db, "INSERT INTO item VALUES (2, 'written before the cutover')");
                handle.requestCutover();
                await().ignoreExceptions().atMost(Duration.ofMinutes(1)).until(() -> fenced(db));
                blocker.commit(); // the apply now fails on the duplicate key
            }
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(2))).hasMessageContaining("duplicate key");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        assertWritableAsBefore(db, aclBefore);
    }

    // guards a drain that cannot finish: the cutover fails by its deadline and lifts the fence
    @Test
    void aCutoverPastItsDeadlineFailsAndLiftsTheFence() throws Exception {
        String db = database("deadline");
        String aclBefore = acl(db);
        try (Migration m = builder(db).cutoverTimeout(Duration.ofSeconds(3)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            try (Connection blocker = lockTarget(db)) {
                pg.source().execute(db, "INSERT INTO item VALUES (2, 'written before the cutover')");
                Instant asked = Instant.now();
                handle.requestCutover();
                await().ignoreExceptions().atMost(Duration.ofMinutes(1)).until(() -> fenced(db));
                await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !fenced(db));
                assertThat(Duration.between(asked, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
                blocker.rollback();
            }
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(2)))
                    .hasMessageContaining("cutover did not finish within").hasMessageContaining("fence was lifted");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        assertWritableAsBefore(db, aclBefore);
    }

    private static MigrationBuilder builder(String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId())
                .statusInterval(Duration.ofMillis(200));
    }

    private static String database(String prefix) {
        String db = pg.newDatabase(prefix);
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text)", "INSERT INTO item VALUES (1, 'a')");
        pg.source().execute("postgres", "COMMENT ON DATABASE " + db + " IS 'the shop''s orders'");
        return db;
    }

    private static String appRole(String db) {
        String app = pg.uniqueName("app");
        pg.source().execute("postgres", "CREATE ROLE " + app + " LOGIN PASSWORD 'app-secret'",
                "GRANT CONNECT ON DATABASE " + db + " TO " + app);
        pg.source().execute(db, "GRANT ALL ON item TO " + app);
        return app;
    }

    /** Holds the target's table so the stream cannot apply the drain's last change. */
    private static Connection lockTarget(String db) throws SQLException {
        Connection c = pg.target().connect(db);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE item IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static boolean fenced(String db) {
        return "on".equals(pg.source().queryValue(db, "SHOW default_transaction_read_only"));
    }

    private static boolean canWriteAs(String role, String db) {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", "app-secret");
        p.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.source().port() + "/" + db,
                p); Statement st = c.createStatement()) {
            st.execute("UPDATE item SET v = 'by the application' WHERE id = 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String acl(String db) {
        return pg.source().queryValue("postgres", "SELECT array_to_string(ARRAY(SELECT a::text FROM unnest(coalesce("
                + "datacl, acldefault('d', datdba))) a ORDER BY 1), ',') FROM pg_database WHERE datname = '" + db + "'");
    }

    private static void assertWritableAsBefore(String db, String aclBefore) {
        assertThat(fenced(db)).as("new sessions default to read-write").isFalse();
        pg.source().execute(db, "INSERT INTO item VALUES (100, 'written after the fence came off')");
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d "
                + "ON d.oid = s.setdatabase WHERE d.datname = '" + db + "'")).as("no setting left").isZero();
        assertThat(acl(db)).as("CONNECT privileges as before").isEqualTo(aclBefore);
        assertThat(pg.source().queryValue("postgres", "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                + "WHERE datname = '" + db + "'")).as("the database's own comment").isEqualTo("the shop's orders");
    }
}
