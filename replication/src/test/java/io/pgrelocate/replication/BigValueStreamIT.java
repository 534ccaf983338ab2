package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.pgrelocate.replication.ChildMigration.caughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Values far larger than a fair share of the heap, written while streaming, in a run with -Xmx256m (a JVM of its
 * own): a 200 MB bytea (a 400 MB hex string in pgoutput's text form) and a 150 MB text, inserted and then updated.
 */
class BigValueStreamIT {
    private static final String MD5 = "SELECT string_agg(id || ':' || coalesce(md5(b), '-') || ':' || coalesce(md5(t), '-')"
            + " || ':' || coalesce(length(b), -1) || ':' || coalesce(length(t), -1) || ':' || note, ',' ORDER BY id)"
            + " FROM doc";

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards the bounded heap in continuous mode: a value too big to hold is streamed through, not buffered whole
    @Test
    void aTwoHundredMegabyteByteaAndAHundredFiftyMegabyteTextStreamUnderA256MegabyteHeap() throws Exception {
        String db = pg.newDatabase("bigvalue");
        pg.source().execute(db, "CREATE TABLE doc (id int PRIMARY KEY, b bytea, t text, note text)",
                "INSERT INTO doc VALUES (0, '\\x00ff', 'small', 'copied')");
        String id = pg.migrationId();
        Path log = ChildMigration.freshLog(id);
        Process run = ChildMigration.start("256m", pg.source(), pg.target(), log, id, db);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> caughtUp(pg.target(), id));
            // md5 text repeated: not one repeated byte, so the value is not trivially the same everywhere
            pg.source().execute(db, "INSERT INTO doc (id, b, note) SELECT 1, decode(string_agg(md5(g::text), ''), "
                    + "'hex'), 'inserted' FROM generate_series(1, 200 * 1024 * 1024 / 16) g");
            pg.source().execute(db, "INSERT INTO doc (id, t, note) SELECT 2, string_agg(md5(g::text) || "
                    + "E'\\t\\n\\\\', ''), 'inserted' FROM generate_series(1, 150 * 1024 * 1024 / 35) g");
            awaitSame(run, db, log);
            pg.source().execute(db, "UPDATE doc SET b = b || '\\x0102'::bytea, note = 'updated' WHERE id = 1",
                    "UPDATE doc SET t = 'x' || t, note = 'updated' WHERE id = 2",
                    "UPDATE doc SET note = 'toast unchanged' WHERE id = 1");
            awaitSame(run, db, log);
            try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                control.requestCutover(id);
            }
            assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("the run ended; log in %s", log).isTrue();
            assertThat(run.exitValue()).as("exit code of the run; log in %s", log).isZero();
        } finally {
            run.destroyForcibly();
        }
        assertThat(pg.target().queryValue(db, MD5)).isEqualTo(pg.source().queryValue(db, MD5));
    }

    // guards the refusal: a value too big to hold that the apply must compare ends the run FAILED, named, not guessed
    @Test
    void aHugeValueInAnOldRowUnderReplicaIdentityFullEndsFailedNamingTableAndColumn() {
        String db = pg.newDatabase("bigold");
        String check = "SELECT md5(body) FROM keyless";
        String inserted;
        pg.source().execute(db, "CREATE TABLE keyless (note text, body text)", "ALTER TABLE keyless REPLICA IDENTITY FULL");
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(500)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "INSERT INTO keyless SELECT 'big', string_agg(md5(g::text), '') "
                    + "FROM generate_series(1, 70 * 1024 * 1024 / 32) g");
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> pg.target().queryLong(db, "SELECT count(*) FROM keyless") == 1);
            inserted = pg.source().queryValue(db, check);
            pg.source().execute(db, "DELETE FROM keyless");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(3))).isInstanceOf(PgRelocateException.class)
                    .hasMessageContaining("body").hasMessageContaining("public.keyless")
                    .hasMessageContaining("REPLICA IDENTITY FULL");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM keyless")).as("no row deleted by a guess")
                .isEqualTo(1);
        assertThat(pg.target().queryValue(db, check)).as("the inserted value arrived whole").isEqualTo(inserted);
    }

    private static void awaitSame(Process run, String db, Path log) {
        String expected = pg.source().queryValue(db, MD5);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            assertThat(run.isAlive()).as("the run is alive; log in %s", log).isTrue();
            return expected.equals(pg.target().queryValue(db, MD5));
        });
    }
}
