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
import static org.awaitility.Awaitility.await;

/**
 * Changes to the same keys inside one target transaction are collapsed to their net effect and sent as
 * multi-row statements; these transactions are built so that collapsing gets them wrong unless it keeps
 * their meaning, or falls back to change-by-change replay when a unique constraint objects.
 */
class CollapsedBatchIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards the fallback: a unique value swapped between two rows cannot be applied as two net updates
    @Test
    void aCollapsedBatchWithAUniqueKeySwapEndsIdentical() {
        String db = pg.newDatabase("swap");
        pg.source().execute(db,
                "CREATE TABLE account (id int PRIMARY KEY, code text NOT NULL UNIQUE, balance int, doc text)",
                "CREATE TABLE journal (at int, note text)",
                "INSERT INTO account SELECT g, 'c' || g, 0, repeat(md5(g::text), 200) FROM generate_series(1, 500) g");
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200)).setReplicaIdentityFull(true)
                .build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "BEGIN; "
                    // many updates of a few hot rows, a keyless table in between (pgbench's shape)
                    + "UPDATE account SET balance = balance + g FROM generate_series(1, 50) g WHERE id = 1 + g % 3; "
                    + "DO $$BEGIN FOR i IN 1..200 LOOP UPDATE account SET balance = balance + i WHERE id = 1 + i % 7; "
                    + "INSERT INTO journal VALUES (i, 'n'); END LOOP; END$$; "
                    // the swap: c10 and c11 trade places through a temporary value
                    + "UPDATE account SET code = 'tmp' WHERE id = 10; UPDATE account SET code = 'c10' WHERE id = 11; "
                    + "UPDATE account SET code = 'c11' WHERE id = 10; "
                    // insert then update then delete: nothing; delete then insert again: a replacement
                    + "INSERT INTO account VALUES (1000, 'new', 1, 'x'); UPDATE account SET balance = 2 WHERE id = 1000; "
                    + "DELETE FROM account WHERE id = 1000; "
                    + "DELETE FROM account WHERE id = 20; INSERT INTO account VALUES (20, 'c20', 99, 'again'); "
                    // a unique value freed by a delete and taken by an insert of another key
                    + "DELETE FROM account WHERE id = 30; INSERT INTO account VALUES (1001, 'c30', 5, 'took c30'); "
                    // an update leaving the TOASTed doc unsent, twice, then a delete of another hot row
                    + "UPDATE account SET balance = -1 WHERE id = 40; UPDATE account SET code = 'c40b' WHERE id = 40; "
                    + "UPDATE account SET balance = 7 WHERE id = 50; DELETE FROM account WHERE id = 50; "
                    // a key change in the middle of collapsed changes to the same table
                    + "UPDATE account SET id = 2000 WHERE id = 60; UPDATE account SET balance = 3 WHERE id = 2000; "
                    + "COMMIT");
            // a second batch: the swap again, spread over many small transactions applied together
            for (int i = 0; i < 20; i++) {
                pg.source().execute(db, "UPDATE account SET code = 'x' WHERE id = 100",
                        "UPDATE account SET code = 'c100' WHERE id = 101", "UPDATE account SET code = 'c101' WHERE id = 100",
                        "UPDATE account SET code = 'c101x' WHERE id = 100", "UPDATE account SET code = 'c101' WHERE id = 101",
                        "UPDATE account SET code = 'c100' WHERE id = 100", "INSERT INTO journal VALUES (" + i + ", 'b')");
            }
            String check = "SELECT string_agg(id || ':' || code || ':' || balance || ':' || md5(doc), ',' ORDER BY id) "
                    + "FROM account";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> pg.source().queryValue(db, check).equals(pg.target().queryValue(db, check))
                            && pg.target().queryLong(db, "SELECT count(*) FROM journal") == 220);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryValue(db, "SELECT code FROM account WHERE id = 10")).isEqualTo("c11");
    }
}
