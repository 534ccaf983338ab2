package io.pgrelocate.dump;

import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A row bigger than the heap, in a JVM of its own: the COPY relay never holds a row whole, so it arrives whole, and
 * the run leaves the source clean.
 */
class OversizedRowIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards the relay's memory bound: pgjdbc's CopyOut read a 200 MB row into one array and the run ended FAILED
    // with an OutOfMemoryError (and once hung in the rollback, with the source's sessions left open)
    @Test
    void aRowBiggerThanTheHeapArrivesWholeWithTheSourceSessionsClosed() throws Exception {
        String db = pg.newDatabase("oversized");
        pg.source().execute(db, "CREATE TABLE small (id int PRIMARY KEY, v text)",
                "INSERT INTO small SELECT g, md5(g::text) FROM generate_series(1, 1000) g",
                "CREATE TABLE huge (id int PRIMARY KEY, body text)",
                "INSERT INTO huge VALUES (1, repeat('x', 200 * 1024 * 1024))");
        String id = pg.migrationId();
        Path log = Path.of("target", "child-logs", id + ".log");
        Files.deleteIfExists(log); // ids repeat across test JVMs: this run's log only
        Process child = ChildDump.start("128m", pg.source(), pg.target(), log, id, db);
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.exists(log) && Files.readString(log).contains(ChildDump.ENDED)
                            || !child.isAlive());
            assertThat(Files.readString(log)).as("the run ended, completed; log in %s", log)
                    .contains(ChildDump.ENDED + 0);
            assertThat(pg.target().queryValue(db, "SELECT md5(body) FROM huge"))
                    .isEqualTo(pg.source().queryValue(db, "SELECT md5(body) FROM huge"));
            DataCompare.assertSameData(pg.source(), pg.target(), db);
            // the JVM still runs: whatever it left open on the source is still open; the server ends a backend
            // shortly after its client's socket closes
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pg.source().queryLong("postgres",
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgrelocate/%'"))
                    .as("sessions of ours left on the source").isZero());
            child.getOutputStream().close();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }
}
