package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A source transaction too big to collapse (more changes than a target transaction keeps for a replay) is
 * applied change by change, a run of inserts into one table as one open COPY. These transactions mix long
 * runs, runs shorter than a COPY is worth, and other changes to the same and other tables between them, in
 * an order that only comes out right when every run reaches the target before whatever follows it.
 */
class InsertRunIT {
    /**
     * Past the 20,000 changes a target transaction keeps for a replay: the rest of the source transaction is
     * applied change by change (the pad's last rows already streamed).
     */
    private static final String PAD = "INSERT INTO pad SELECT g FROM generate_series(1, 21000) g; ";

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards the end of each streamed run: an update, a delete or another table's rows right after it
    @Test
    void longAndShortInsertRunsMixedWithOtherChangesEndIdentical() {
        String db = pg.newDatabase("runs");
        pg.source().execute(db, "CREATE TABLE pad (id int PRIMARY KEY)",
                "CREATE TABLE item (id bigint PRIMARY KEY, code text UNIQUE, note text)",
                "CREATE TABLE journal (at bigint, line text)");
        try (Migration m = start(db)) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            ApplyProbe.install(pg.target(), db, "item", "journal");
            pg.source().execute(db, "BEGIN; "
                    + PAD
                    // a long run with tabs, newlines, backslashes and NULLs in it, then changes to its own rows
                    + "INSERT INTO item SELECT g, 'c' || g, "
                    + "CASE WHEN g % 7 = 0 THEN NULL ELSE E'a\\tb\\\\c\\nd' || g END "
                    + "FROM generate_series(1, 30000) g; "
                    + "UPDATE item SET note = 'updated' WHERE id = 29999; DELETE FROM item WHERE id = 30000; "
                    // a unique code freed by the update, taken by the next run: only in source order does it fit
                    + "UPDATE item SET code = 'moved' WHERE id = 1; "
                    + "INSERT INTO item VALUES (30001, 'c1', 'took c1'), (30002, 'c30000', 'took c30000'); "
                    // short runs into two tables taking turns, then a keyless run
                    + "DO $$BEGIN FOR i IN 1..50 LOOP INSERT INTO item VALUES (40000 + i, 'd' || i, NULL); "
                    + "INSERT INTO journal VALUES (i, 'short'); END LOOP; END$$; "
                    + "INSERT INTO journal SELECT g, repeat('j', g % 300) FROM generate_series(1, 20000) g; "
                    + "DELETE FROM item WHERE id BETWEEN 100 AND 199; "
                    + "INSERT INTO item SELECT g, 'c' || g, 'again' FROM generate_series(100, 150) g; "
                    + "COMMIT");
            pg.source().execute(db, "INSERT INTO item VALUES (50000, 'after', 'a later transaction')");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> pg.target().queryLong(db, "SELECT count(*) FROM item WHERE id = 50000") == 1);
            // the long runs came as one COPY each (the INSERT path would write the same rows), the short ones not
            String copies = "SELECT count(*) FROM public.apply_probe WHERE stmt = 'COPY' AND tbl = ";
            assertThat(pg.target().queryLong(db, copies + "'item'")).as("the 30,000 and the 51 rows").isEqualTo(2);
            assertThat(pg.target().queryLong(db, copies + "'journal'")).as("the 20,000 rows").isEqualTo(1);
            assertThat(ApplyProbe.statements(pg.target(), db, "item")).containsExactly("COPY", "INSERT");
            ApplyProbe.remove(pg.target(), db);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryValue(db, "SELECT note FROM item WHERE code = 'c1'")).isEqualTo("took c1");
    }

    // guards a replay that ends in a run of inserts: the run must reach the target before the commit
    @Test
    void aReplayedBatchEndingInARunOfInsertsEndsIdentical() {
        String db = pg.newDatabase("replayrun");
        pg.source().execute(db, "CREATE TABLE account (id int PRIMARY KEY, code text NOT NULL UNIQUE)",
                "INSERT INTO account SELECT g, 'c' || g FROM generate_series(1, 10) g");
        try (Migration m = start(db)) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            // the swap makes the collapsed batch hit the unique code, so it is replayed change by change
            pg.source().execute(db, "BEGIN; UPDATE account SET code = 'tmp' WHERE id = 1; "
                    + "UPDATE account SET code = 'c1' WHERE id = 2; UPDATE account SET code = 'c2' WHERE id = 1; "
                    + "INSERT INTO account SELECT g, 'c' || g FROM generate_series(11, 30) g; COMMIT");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> pg.target().queryLong(db, "SELECT count(*) FROM account") == 30);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }

    // guards a constraint hit inside a streamed run: the run fails as its INSERT would, naming no row value
    @Test
    void aDuplicateKeyInsideAStreamedRunFailsTheRun() {
        String db = pg.newDatabase("rundup");
        pg.source().execute(db, "CREATE TABLE pad (id int PRIMARY KEY)",
                "CREATE TABLE item (id bigint PRIMARY KEY, v text)");
        try (Migration m = start(db)) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            // someone wrote to the target: a row in the middle of the run collides with it
            pg.target().execute(db, "INSERT INTO item VALUES (987654, 'written on the target')");
            pg.source().execute(db, "BEGIN; " + PAD
                    + "INSERT INTO item SELECT g, md5(g::text) FROM generate_series(980000, 990000) g; COMMIT");
            Throwable thrown = catchThrowable(() -> handle.await(Duration.ofMinutes(2)));
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            assertThat(thrown).hasMessageContaining("duplicate key").hasMessageContaining("\"public\".\"item\"");
            assertThat(thrown.getMessage()).doesNotContain("987654");
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM item")).as("the failed run rolled back")
                .isEqualTo(1);
    }

    private static Migration start(String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId())
                .statusInterval(Duration.ofMillis(200)).setReplicaIdentityFull(true).build();
    }
}
