package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.TestRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A continuous migration as on a managed service, 14 into 18: the source role has REPLICATION and owns
 * its database and tables, the target role only CREATEDB, so it may not set session_replication_role.
 */
class ContinuousWithoutSuperuserIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 18);

    @Test
    void keepsTargetTriggersAndForeignKeysOutOfTheApplyAndPutsThemBackAtCutover() {
        String db = pg.newDatabase("managed");
        try (TestRole app = TestRole.create(pg.source(), "app", "REPLICATION");
             TestRole owner = TestRole.create(pg.target(), "owner", "CREATEDB")) {
            pg.source().execute("postgres", "ALTER DATABASE " + db + " OWNER TO " + app.quoted());
            pg.source().execute(db, "SET ROLE " + app.quoted(),
                    "CREATE TABLE parent (id int PRIMARY KEY, name text)",
                    "CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent ON DELETE CASCADE, "
                            + "v text)",
                    "CREATE TABLE doc (id serial PRIMARY KEY, v text, touches int NOT NULL DEFAULT 0)",
                    // counts the updates a row went through: on the target it must not count the replicated ones again
                    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
                            + "$$BEGIN NEW.touches := OLD.touches + 1; RETURN NEW; END$$",
                    "CREATE TRIGGER touch BEFORE UPDATE ON doc FOR EACH ROW EXECUTE FUNCTION touch()",
                    "INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 100) g",
                    "INSERT INTO child SELECT g, 1 + g % 100, 'c' || g FROM generate_series(1, 300) g",
                    "INSERT INTO doc (v) SELECT 'd' || g FROM generate_series(1, 50) g");
            pg.target().execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + owner.quoted());

            try (Migration m = Migration.builder().source(app.endpoint("postgres")).target(owner.endpoint("postgres"))
                    .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).acceptWarnings(true)
                    .statusInterval(Duration.ofMillis(200)).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                assertThat(pg.target().queryValue(db, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'touch'"))
                        .as("user trigger disabled while streaming").isEqualTo("D");
                assertThat(pg.target().queryLong(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"))
                        .as("foreign keys out while streaming").isZero();

                pg.source().execute(db,
                        "UPDATE doc SET v = 'changed' WHERE id <= 10",
                        "UPDATE doc SET v = 'twice' WHERE id <= 3",
                        // cascades on the source; on the target the stream carries the children's deletes itself
                        "DELETE FROM parent WHERE id <= 5",
                        "BEGIN; INSERT INTO parent VALUES (101, 'new'); INSERT INTO child VALUES (301, 101, 'n'); COMMIT",
                        "UPDATE child SET v = 'moved', parent_id = 101 WHERE id = 50");
                await().atMost(Duration.ofMinutes(1)).until(() ->
                        "moved".equals(pg.target().queryValue(db, "SELECT v FROM child WHERE id = 50")));
                assertThat(pg.target().queryValue(db, "SELECT touches FROM doc WHERE id = 1"))
                        .as("replicated updates not counted again on the target").isEqualTo("2");

                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }

            DataCompare.assertSameData(pg.source(), pg.target(), db);
            assertThat(DataCompare.sequences(pg.target(), db)).isEqualTo(DataCompare.sequences(pg.source(), db));
            assertThat(pg.target().queryValue(db, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'touch'"))
                    .as("trigger enabled again after cutover").isEqualTo("O");
            String fk = "SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint "
                    + "WHERE contype = 'f'";
            assertThat(pg.target().queryColumn(db, fk)).as("foreign key back, validated")
                    .isEqualTo(pg.source().queryColumn(db, fk)).hasSize(1);
            assertThat(pg.target().queryValue(db, "SELECT to_regnamespace('pgrelocate')")).isNull();
            pg.target().execute(db, "UPDATE doc SET v = 'after' WHERE id = 1");
            assertThat(pg.target().queryValue(db, "SELECT touches FROM doc WHERE id = 1"))
                    .as("the trigger fires again once the target is live").isEqualTo("3");
        }
    }
}
