package io.pgrelocate.replication;

import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.pgrelocate.replication.ChildMigration.caughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of a migrating JVM while a big value goes through its spill file: the directory it leaves in the
 * temporary directory (this test's own, given to the child as {@code java.io.tmpdir}) is removed by the next run,
 * which completes the migration.
 */
class SpillAfterKillIT {
    private static final String MD5 = "SELECT string_agg(id || ':' || coalesce(md5(b), '-') || ':' || note, ',' "
            + "ORDER BY id) FROM doc";

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    @TempDir
    Path tmp;

    // guards StaleSpills end to end: a spill directory nothing else would ever remove goes at the next run's start
    @Test
    void theSpillDirectoryAKillNineLeftIsRemovedByTheNextRunWhichEndsIdentical() throws Exception {
        String db = pg.newDatabase("spillkill");
        pg.source().execute(db, "CREATE TABLE doc (id int PRIMARY KEY, b bytea, note text)",
                "INSERT INTO doc VALUES (0, '\\x00ff', 'copied')");
        String id = pg.migrationId();
        Path log = ChildMigration.freshLog(id);
        Process first = ChildMigration.startWithTmp(tmp, pg.source(), pg.target(), log, id, db);
        Path left;
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> caughtUp(pg.target(), id));
            // 32 MB of bytea, a 64 MB hex string in pgoutput's text form: far past what is read whole
            pg.source().execute(db, "INSERT INTO doc (id, b, note) SELECT 1, decode(string_agg(md5(g::text), ''), "
                    + "'hex'), 'big' FROM generate_series(1, 32 * 1024 * 1024 / 16) g");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> {
                assertThat(first.isAlive()).as("the first run is alive; log in %s", log).isTrue();
                return !spillDirectories().isEmpty();
            });
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<Path> afterKill = spillDirectories();
        assertThat(afterKill).as("what the killed run left in %s", tmp).hasSize(1);
        left = afterKill.get(0);
        assertThat(left.getFileName().toString()).startsWith("pgrelocate-spill-" + first.pid() + "-");
        assertThat(left.resolve(".lock")).exists();

        pg.source().execute(db, "UPDATE doc SET note = 'after the kill' WHERE id = 0",
                "INSERT INTO doc VALUES (2, '\\x0102', 'after the kill')");
        Process second = ChildMigration.startWithTmp(tmp, pg.source(), pg.target(), log, id, db);
        try {
            String expected = pg.source().queryValue(db, MD5);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(second.isAlive()).as("the second run is alive; log in %s", log).isTrue();
                return caughtUp(pg.target(), id) && expected.equals(pg.target().queryValue(db, MD5));
            });
            assertThat(left).as("the stale spill directory, removed by the second run").doesNotExist();
            try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                control.requestCutover(id);
            }
            assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("the second run ended; log in %s", log).isTrue();
            assertThat(second.exitValue()).as("exit code of the second run; log in %s", log).isZero();
        } finally {
            second.destroyForcibly();
        }
        assertThat(spillDirectories()).as("no spill directory left after a clean end").isEmpty();
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryValue(db, MD5)).isEqualTo(pg.source().queryValue(db, MD5));
        assertThat(Files.readString(log)).contains("removed the spill directory " + left);
    }

    private List<Path> spillDirectories() {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("pgrelocate-spill-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
