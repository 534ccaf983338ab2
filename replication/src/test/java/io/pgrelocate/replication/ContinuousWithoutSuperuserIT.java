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

    private static final String TRIGGERS = "SELECT tgrelid::regclass || ' ' || tgenabled::text FROM pg_trigger "
            + "WHERE tgname = 'touch' ORDER BY 1";

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
                    // a partitioned table: its trigger and key are cloned onto each partition
                    "CREATE TABLE event (id int, parent_id int REFERENCES parent ON DELETE CASCADE, v text, "
                            + "touches int NOT NULL DEFAULT 0, PRIMARY KEY (id)) PARTITION BY RANGE (id)",
                    "CREATE TABLE event_1 PARTITION OF event FOR VALUES FROM (0) TO (1000)",
                    "CREATE TABLE event_2 PARTITION OF event FOR VALUES FROM (1000) TO (2000)",
                    "CREATE TRIGGER touch BEFORE UPDATE ON event FOR EACH ROW EXECUTE FUNCTION touch()",
                    "INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 100) g",
                    "INSERT INTO child SELECT g, 1 + g % 100, 'c' || g FROM generate_series(1, 300) g",
                    "INSERT INTO doc (v) SELECT 'd' || g FROM generate_series(1, 50) g",
                    "INSERT INTO event SELECT g * 10, 1 + g % 100, 'e' FROM generate_series(1, 150) g");
            pg.target().execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + owner.quoted());

            try (Migration m = Migration.builder().source(app.endpoint("postgres")).target(owner.endpoint("postgres"))
                    .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).acceptWarnings(true)
                    .statusInterval(Duration.ofMillis(200)).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                assertThat(pg.target().queryColumn(db, TRIGGERS)).as("user triggers disabled while streaming")
                        .containsExactly("doc D", "event D", "event_1 D", "event_2 D");
                assertThat(pg.target().queryLong(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"))
                        .as("foreign keys out while streaming").isZero();

                pg.source().execute(db,
                        "UPDATE doc SET v = 'changed' WHERE id <= 10",
                        "UPDATE doc SET v = 'twice' WHERE id <= 3",
                        // cascades on the source; on the target the stream carries the children's deletes itself
                        "DELETE FROM parent WHERE id <= 5",
                        "BEGIN; INSERT INTO parent VALUES (101, 'new'); INSERT INTO child VALUES (301, 101, 'n'); COMMIT",
                        "UPDATE child SET v = 'moved', parent_id = 101 WHERE id = 50",
                        "UPDATE event SET v = 'changed' WHERE id IN (500, 1500)");
                await().atMost(Duration.ofMinutes(1)).until(() ->
                        "moved".equals(pg.target().queryValue(db, "SELECT v FROM child WHERE id = 50")));
                assertThat(pg.target().queryValue(db, "SELECT touches FROM doc WHERE id = 1"))
                        .as("replicated updates not counted again on the target").isEqualTo("2");
                assertThat(pg.target().queryColumn(db, "SELECT touches FROM event WHERE id IN (500, 1500)"))
                        .containsExactly("1", "1");

                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }

            DataCompare.assertSameData(pg.source(), pg.target(), db);
            assertThat(DataCompare.sequences(pg.target(), db)).isEqualTo(DataCompare.sequences(pg.source(), db));
            assertThat(pg.target().queryColumn(db, TRIGGERS)).as("triggers enabled again after cutover")
                    .containsExactly("doc O", "event O", "event_1 O", "event_2 O");
            String fk = "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' "
                    + "|| convalidated FROM pg_constraint WHERE contype = 'f' ORDER BY 1";
            assertThat(pg.target().queryColumn(db, fk)).as("foreign keys back, validated, partitions' clones too")
                    .isEqualTo(pg.source().queryColumn(db, fk)).hasSize(4);
            assertThat(pg.target().queryValue(db, "SELECT to_regnamespace('pgrelocate')")).isNull();
            pg.target().execute(db, "UPDATE doc SET v = 'after' WHERE id = 1");
            assertThat(pg.target().queryValue(db, "SELECT touches FROM doc WHERE id = 1"))
                    .as("the trigger fires again once the target is live").isEqualTo("3");
        }
    }
}
