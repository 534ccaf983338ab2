package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.TestRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Continuous migrations on 17 with roles as a managed service hands out: the source role has REPLICATION,
 * owns its tables and may CREATE in the database (enough for CREATE PUBLICATION ... FOR TABLE) but does
 * not own it; the target role has CREATEDB only.
 */
class StopWithoutSuperuserIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards the stop path: what the fallback took out of the target must be back after a stop
    @Test
    void stopPutsBackTheTriggersAndForeignKeysTheFallbackTookOut() {
        String db = pg.newDatabase("stopped");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION");
             TestRole owner = TestRole.create(pg.target(), "owner", "CREATEDB")) {
            prepare(db, app, owner);
            try (Migration m = builder(db, app, owner).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                assertThat(pg.target().queryValue(db, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'touch'"))
                        .isEqualTo("D");
                pg.source().execute(db, "UPDATE doc SET v = 'changed' WHERE id = 1", "DELETE FROM parent WHERE id = 1");
                await().atMost(Duration.ofMinutes(1)).until(() ->
                        pg.target().queryLong(db, "SELECT count(*) FROM child WHERE parent_id = 1") == 0
                                && "changed".equals(pg.target().queryValue(db, "SELECT v FROM doc WHERE id = 1")));
                assertThat(handle.stop(Duration.ofMinutes(1))).isEqualTo(MigrationState.STOPPED);
            }
            assertThat(pg.target().queryValue(db, "SELECT touches FROM doc WHERE id = 1")).isEqualTo("1");
            assertThat(pg.target().queryValue(db, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'touch'"))
                    .as("trigger enabled again after stop").isEqualTo("O");
            assertThat(pg.target().queryLong(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated"))
                    .as("foreign key back after stop").isEqualTo(1);
            assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_publication")).isZero();
        }
    }

    // on 15+ a GRANT SET ON PARAMETER is enough: nothing is taken out of the target
    @Test
    void aRoleGrantedSessionReplicationRoleNeedsNoFallback() {
        String db = pg.newDatabase("granted");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION");
             TestRole owner = TestRole.create(pg.target(), "owner", "CREATEDB")) {
            prepare(db, app, owner);
            pg.target().execute("postgres", "GRANT SET ON PARAMETER session_replication_role TO " + owner.quoted());
            try (Migration m = builder(db, app, owner).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                assertThat(pg.target().queryValue(db, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'touch'"))
                        .isEqualTo("O");
                pg.source().execute(db, "UPDATE doc SET v = 'changed' WHERE id = 1", "DELETE FROM parent WHERE id = 1");
                await().atMost(Duration.ofMinutes(1)).until(() ->
                        pg.target().queryLong(db, "SELECT count(*) FROM child WHERE parent_id = 1") == 0
                                && "changed".equals(pg.target().queryValue(db, "SELECT v FROM doc WHERE id = 1")));
                assertThat(pg.target().queryValue(db, "SELECT touches FROM doc WHERE id = 1")).isEqualTo("1");
                assertThat(handle.stop(Duration.ofMinutes(1))).isEqualTo(MigrationState.STOPPED);
            } finally {
                pg.target().execute("postgres", "REVOKE SET ON PARAMETER session_replication_role FROM "
                        + owner.quoted());
            }
        }
    }

    // guards the failure path: a fence the role cannot complete fails the cutover, leaves the source
    // writable, and the target gets its triggers and foreign keys back
    @Test
    void aFenceTheRoleCannotCompleteFailsTheCutoverAndUndoesItself() throws Exception {
        String db = pg.newDatabase("unfenced");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION");
             TestRole owner = TestRole.create(pg.target(), "owner", "CREATEDB")) {
            prepare(db, app, owner);
            pg.source().execute("postgres", "ALTER DATABASE " + db + " OWNER TO " + app.quoted());
            try (Migration m = builder(db, app, owner).build();
                 java.sql.Connection superuserSession = pg.source().connect(db)) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                // a superuser's session, which only a superuser may end
                assertThat(superuserSession.isValid(5)).isTrue();
                handle.requestCutover();
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                        .hasMessageContaining("cannot fence source database " + db);
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            }
            assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d "
                    + "ON d.oid = s.setdatabase WHERE d.datname = '" + db + "'")).as("fence undone").isZero();
            assertThat(pg.target().queryValue(db, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'touch'"))
                    .as("trigger enabled again after the failure").isEqualTo("O");
            assertThat(pg.target().queryLong(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"))
                    .as("foreign key back after the failure").isEqualTo(1);
        }
    }

    private static void prepare(String db, TestRole app, TestRole owner) {
        pg.source().execute("postgres", "GRANT CREATE ON DATABASE " + db + " TO " + app.quoted());
        pg.source().execute(db, "GRANT CREATE ON SCHEMA public TO " + app.quoted(), "SET ROLE " + app.quoted(),
                "CREATE TABLE parent (id int PRIMARY KEY)",
                "CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent ON DELETE CASCADE)",
                "CREATE TABLE doc (id int PRIMARY KEY, v text, touches int NOT NULL DEFAULT 0)",
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$BEGIN NEW.touches := OLD.touches + 1; RETURN NEW; END$$",
                "CREATE TRIGGER touch BEFORE UPDATE ON doc FOR EACH ROW EXECUTE FUNCTION touch()",
                "INSERT INTO parent SELECT generate_series(1, 20)",
                "INSERT INTO child SELECT g, 1 + g % 20 FROM generate_series(1, 100) g",
                "INSERT INTO doc (id, v) SELECT g, 'd' FROM generate_series(1, 10) g");
        pg.target().execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + owner.quoted());
    }

    private static io.pgrelocate.core.MigrationBuilder builder(String db, TestRole app, TestRole owner) {
        return Migration.builder().source(app.endpoint("postgres")).target(owner.endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).acceptWarnings(true)
                .statusInterval(Duration.ofMillis(200));
    }
}
