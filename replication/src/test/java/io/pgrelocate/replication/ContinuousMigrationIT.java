package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Copy, stream and cut over, 17 into 17. */
class ContinuousMigrationIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void streamsEveryKindOfChangeAndCutsOverWithNothingLeftOnTheSource() {
        String db = pg.newDatabase("shop");
        pg.source().execute(db,
                "CREATE TABLE item (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, "
                        + "doc text, qty int, total int GENERATED ALWAYS AS (qty * 2) STORED)",
                "CREATE TABLE keyless (a int, b text)",
                "ALTER TABLE keyless REPLICA IDENTITY FULL",
                "CREATE TABLE stamp (id int PRIMARY KEY, v text, touched timestamptz)",
                "CREATE SEQUENCE ticket",
                "INSERT INTO item (name, doc, qty) SELECT 'n' || g, repeat('x', 10), g FROM generate_series(1, 1000) g",
                "INSERT INTO keyless SELECT g, 'k' || g FROM generate_series(1, 10) g");
        List<MigrationEvent> events = new CopyOnWriteArrayList<>();
        try (Migration m = builder(db).listener(MigrationListener.of(events::add)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            // a target trigger that would rewrite replicated values must not fire
            pg.target().execute(db, "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
                            + "$$BEGIN NEW.touched := '2000-01-01'; RETURN NEW; END$$",
                    "CREATE TRIGGER touch BEFORE INSERT OR UPDATE ON stamp FOR EACH ROW EXECUTE FUNCTION touch()");
            pg.source().execute(db,
                    "INSERT INTO item (name, doc, qty) VALUES ('new', repeat('big', 100000), 5)",
                    "UPDATE item SET qty = qty + 1 WHERE id <= 100",
                    "UPDATE item SET name = 'toast kept' WHERE name = 'new'",
                    "DELETE FROM item WHERE id BETWEEN 200 AND 299",
                    "UPDATE keyless SET b = 'changed' WHERE a = 3",
                    "DELETE FROM keyless WHERE a = 4",
                    "INSERT INTO stamp VALUES (1, 'a', '2024-05-05')",
                    "BEGIN; INSERT INTO stamp VALUES (2, 'b', now()); SAVEPOINT s; INSERT INTO stamp VALUES (3, 'c', now()); "
                            + "ROLLBACK TO SAVEPOINT s; UPDATE stamp SET v = 'a2' WHERE id = 1; COMMIT",
                    "UPDATE stamp SET id = 20 WHERE id = 2",
                    "SELECT nextval('ticket') FROM generate_series(1, 42)");
            await().atMost(Duration.ofMinutes(1)).until(() ->
                    "toast kept".equals(pg.target().queryValue(db, "SELECT name FROM item WHERE qty = 5 AND id > 1000"))
                            && "a2".equals(pg.target().queryValue(db, "SELECT v FROM stamp WHERE id = 1")));
            pg.source().execute(db, "TRUNCATE keyless");
            // the target-only trigger did its job (it fired on nothing replicated); a cutover refuses a target
            // whose schema differs from the source's
            pg.target().execute(db, "DROP TRIGGER touch ON stamp", "DROP FUNCTION touch()");
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryValue(db, "SELECT length(doc) FROM item WHERE name = 'toast kept'"))
                .isEqualTo("300000");
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots")).isZero();
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(pg.target().queryValue(db, "SELECT to_regnamespace('pgrelocate')")).isNull();
        assertThat(events).anyMatch(e -> e instanceof MigrationEvent.CaughtUp)
                .anyMatch(e -> e instanceof MigrationEvent.CutoverCompleted);
        // cutover fenced the source database: new transactions there are read-only
        assertThat(pg.source().queryValue(db, "SHOW default_transaction_read_only")).isEqualTo("on");
    }

    @Test
    void stopDropsSlotAndPublicationAndKeepsTheTargetData() {
        String db = pg.newDatabase("stopme");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 100)");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "INSERT INTO t VALUES (101)");
            await().atMost(Duration.ofMinutes(1)).until(() -> pg.target().queryLong(db, "SELECT count(*) FROM t") == 101);
            assertThat(handle.stop(Duration.ofMinutes(1))).isEqualTo(MigrationState.STOPPED);
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM t")).isEqualTo(101);
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots")).isZero();
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_publication")).isZero();
    }

    private io.pgrelocate.core.MigrationBuilder builder(String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200));
    }
}
