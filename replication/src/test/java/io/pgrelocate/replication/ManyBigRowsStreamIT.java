package io.pgrelocate.replication;

import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.pgrelocate.replication.ChildMigration.caughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One source transaction of many rows of a few MB each (each below the size that goes through a file), inserted
 * and then updated while streaming, in a run with -Xmx256m (a JVM of its own): together they are several times
 * the heap, so the apply may hold only a bounded number of their bytes at a time, whatever the row count.
 */
class ManyBigRowsStreamIT {
    private static final int ROWS = 150;
    /** Per row: id, md5 and length of each big value, and the small column. */
    private static final String MD5 = "SELECT md5(string_agg(id || ':' || coalesce(md5(b), '-') || ':' || coalesce(md5(t), '-')"
            + " || ':' || coalesce(length(b), -1) || ':' || coalesce(length(t), -1) || ':' || note, ',' ORDER BY id))"
            + " FROM doc";

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards the bounded heap of the apply: its statement batches and buffers are bounded by bytes, not rows
    @Test
    void aTransactionOfManyMultiMegabyteRowsStreamsUnderA256MegabyteHeap() throws Exception {
        String db = pg.newDatabase("bigrows");
        pg.source().execute(db, "CREATE TABLE doc (id int PRIMARY KEY, b bytea, t text, note text)",
                "INSERT INTO doc SELECT -g, '\\x00ff', md5(g::text), 'copied' FROM generate_series(1, 5) g");
        String id = pg.migrationId();
        Path log = ChildMigration.freshLog(id);
        Process run = ChildMigration.start("256m", pg.source(), pg.target(), log, id, db);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> caughtUp(pg.target(), id));
            // odd rows: 3-5 MB of text; even rows: 3-3.9 MB of bytea (a 6-7.8 MB hex string as pgoutput sends it, so
            // still a message read whole); md5 text repeated, so every row differs; a few small rows between
            pg.source().execute(db, "BEGIN",
                    "INSERT INTO doc (id, t, note) SELECT g, repeat(md5(g::text), (3 * 1024 * 1024 + g * 14000) / 32),"
                            + " 'inserted' FROM generate_series(1, " + ROWS + ", 2) g",
                    "INSERT INTO doc VALUES (1000, '\\x01', 'small', 'inserted')",
                    "INSERT INTO doc (id, b, note) SELECT g, decode(repeat(md5(g::text), (3 * 1024 * 1024 + g * 6000)"
                            + " / 16), 'hex'), 'inserted' FROM generate_series(2, " + ROWS + ", 2) g",
                    "UPDATE doc SET t = t || 'u', note = 'updated' WHERE id % 2 = 1",
                    "UPDATE doc SET b = b || '\\x0102'::bytea, note = 'updated' WHERE id % 2 = 0 AND id > 0",
                    "UPDATE doc SET note = 'small updated' WHERE id <= 0 OR id = 1000",
                    "INSERT INTO doc VALUES (1001, NULL, 'small', 'inserted last')",
                    "COMMIT");
            String expected = pg.source().queryValue(db, MD5);
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                assertThat(run.isAlive()).as("the run is alive; log in %s", log).isTrue();
                return expected.equals(pg.target().queryValue(db, MD5));
            });
            System.out.println("child peak RSS: " + peakRss(run));
            try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                control.requestCutover(id);
            }
            assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("the run ended; log in %s", log).isTrue();
            assertThat(run.exitValue()).as("exit code of the run; log in %s", log).isZero();
        } finally {
            run.destroyForcibly();
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM doc")).isEqualTo(ROWS + 7);
        assertThat(pg.target().queryValue(db, MD5)).isEqualTo(pg.source().queryValue(db, MD5));
    }

    /** The child's peak resident set, as the kernel counts it: a number to report, not to assert. */
    private static String peakRss(Process run) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(run.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
