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
 * A REPLICA IDENTITY FULL row is found on the target by every column's value as pgoutput sent it (the type's output
 * function); for types whose cast to text is not their output (boolean, inet, char(n)) it must still be found.
 */
class FullIdentityTextIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 18);

    // guards the FULL-identity apply: 'f' against false::text = 'false' failed the database ("found no row")
    @Test
    void updatesAndDeletesRowsOfFullIdentityWhoseColumnsCastToTextOtherwiseThanTheirOutput() {
        String db = pg.newDatabase("fullid");
        pg.source().execute(db, "CREATE TABLE odd (flag bool, addr inet, code char(4), v text)",
                "ALTER TABLE odd REPLICA IDENTITY FULL",
                "INSERT INTO odd VALUES (false, '10.0.0.1', 'ab', 'one'), (true, '10.0.0.0/8', 'cd  ', 'two'), "
                        + "(NULL, NULL, NULL, 'three')",
                "CREATE TABLE marker (id int PRIMARY KEY)");
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "UPDATE odd SET v = 'one, updated' WHERE v = 'one'",
                    "DELETE FROM odd WHERE v = 'two'", "UPDATE odd SET v = 'three, updated' WHERE v = 'three'",
                    "INSERT INTO marker VALUES (1)");
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    pg.target().queryLong(db, "SELECT count(*) FROM marker") == 1 || handle.state().isTerminal());
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        assertThat(pg.target().queryColumn(db, "SELECT v FROM odd ORDER BY v"))
                .containsExactly("one, updated", "three, updated");
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }
}
