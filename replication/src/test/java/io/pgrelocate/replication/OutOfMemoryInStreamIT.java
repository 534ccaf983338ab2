package io.pgrelocate.replication;

import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.pgrelocate.replication.ChildMigration.caughtUp;
import static io.pgrelocate.replication.ChildMigration.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An OutOfMemoryError while streaming (a transaction far larger than a tiny heap, in a JVM of its own) must end the
 * run FAILED with its state and slot kept, and the same migration with a larger heap must then finish it.
 */
class OutOfMemoryInStreamIT {
    private static final int WIDE_COLUMNS = 400;

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards "a failure is never success": an Error on the apply thread once ended COMPLETED with the row lost
    @Test
    void anOutOfMemoryErrorWhileStreamingEndsFailedAndAResumeWithMoreHeapFinishes() throws Exception {
        String db = pg.newDatabase("oom");
        // 400 text columns: a row of them all is one statement (or COPY line) that can only be written whole
        StringBuilder columns = new StringBuilder();
        for (int c = 0; c < WIDE_COLUMNS; c++) {
            columns.append(", c").append(c).append(" text STORAGE EXTERNAL");
        }
        pg.source().execute(db, "CREATE TABLE doc (id int PRIMARY KEY, body text" + columns + ")",
                "INSERT INTO doc (id, body) SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
        String id = pg.migrationId();
        Path log = ChildMigration.freshLog(id);
        Process small = ChildMigration.start("64m", pg.source(), pg.target(), log, id, db);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> caughtUp(pg.target(), id));
            // rows of 400 values of 60 kB each, 24 MB a row and 96 MB in all: each value is below what goes to a
            // file, so a row is held whole, and four of them in one transaction exhaust a 64 MB heap whatever the
            // apply's own bounds (a single huge value no longer does it: it goes through a file)
            StringBuilder values = new StringBuilder();
            for (int c = 0; c < WIDE_COLUMNS; c++) {
                values.append(", repeat(md5((g * 1000 + ").append(c).append(")::text), 60000 / 32)");
            }
            pg.source().execute(db, "INSERT INTO doc SELECT -g, 'wide'" + values + " FROM generate_series(0, 3) g");
            assertThat(small.waitFor(2, TimeUnit.MINUTES)).as("the small-heap run ended; log in %s", log).isTrue();
            assertThat(small.exitValue()).as("exit code of the small-heap run; log in %s", log).isEqualTo(1);
        } finally {
            small.destroyForcibly();
        }
        assertThat(status(pg.target(), id).map(MigrationStatus::state)).as("state kept")
                .contains(MigrationState.FAILED);
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = '"
                + db + "'")).as("slot kept for the resume").isEqualTo(1);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM doc WHERE id <= 0")).isZero();

        Process big = ChildMigration.start("1g", pg.source(), pg.target(), log, id, db);
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> caughtUp(pg.target(), id)
                    && pg.target().queryLong(db, "SELECT count(*) FROM doc WHERE id <= 0") == 4);
            try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                control.requestCutover(id);
            }
            assertThat(big.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(big.exitValue()).as("exit code of the resumed run; log in %s", log).isZero();
        } finally {
            big.destroyForcibly();
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        String check = "SELECT md5(string_agg(doc::text, ',' ORDER BY id)) FROM doc WHERE id <= 0";
        assertThat(pg.target().queryValue(db, check)).isEqualTo(pg.source().queryValue(db, check));
    }
}
