package io.pgrelocate.dump;

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
 * Many rows of a few MB each, together several times the heap, copied in a JVM of its own with -Xmx256m and two
 * jobs: each row goes through the COPY pipe and is dropped, so the heap holds a row or two per job, never the table.
 */
class ManyBigRowsDumpIT {
    private static final int ROWS = 150;
    private static final String MD5 = "SELECT md5(string_agg(id || ':' || coalesce(md5(b), '-') || ':' || coalesce(md5(t), '-')"
            + " || ':' || coalesce(length(b), -1) || ':' || coalesce(length(t), -1), ',' ORDER BY id)) FROM doc";

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards the bounded heap of the dump: a table of many multi-MB rows (text and bytea) under -Xmx256m
    @Test
    void aTableOfManyMultiMegabyteRowsCopiesUnderA256MegabyteHeap() throws Exception {
        String db = pg.newDatabase("bigrows");
        pg.source().execute(db, "CREATE TABLE doc (id int PRIMARY KEY, b bytea, t text)",
                "CREATE TABLE other (id int PRIMARY KEY, t text)",
                "INSERT INTO doc (id, t) SELECT g, repeat(md5(g::text), (3 * 1024 * 1024 + g * 14000) / 32)"
                        + " FROM generate_series(1, " + ROWS + ", 2) g",
                "INSERT INTO doc (id, b) SELECT g, decode(repeat(md5(g::text), (3 * 1024 * 1024 + g * 14000) / 16),"
                        + " 'hex') FROM generate_series(2, " + ROWS + ", 2) g",
                "INSERT INTO other SELECT g, repeat(md5(g::text), 4 * 1024 * 1024 / 32) FROM generate_series(1, 40) g");
        String id = pg.migrationId();
        Path log = Path.of("target", "child-logs", id + ".log");
        Files.deleteIfExists(log);
        Process child = ChildDump.start("256m", pg.source(), pg.target(), log, id, db);
        try {
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.exists(log) && Files.readString(log).contains(ChildDump.ENDED)
                            || !child.isAlive());
            assertThat(Files.readString(log)).as("the run completed; log in %s", log).contains(ChildDump.ENDED + 0);
            child.getOutputStream().close();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(pg.target().queryValue(db, MD5)).isEqualTo(pg.source().queryValue(db, MD5));
        String other = "SELECT md5(string_agg(t, ',' ORDER BY id)) FROM other";
        assertThat(pg.target().queryValue(db, other)).isEqualTo(pg.source().queryValue(db, other));
    }
}
