package io.pgrelocate.replication;

import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.Phase;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.pgrelocate.replication.ChildMigration.caughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kill -9 of the migrating JVM while it streams, 14 into 18, then the same migration started again. */
class KillAndResumeIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 18);

    // guards exactly-once apply: a transaction applied before the kill must not be applied again after it
    @Test
    void resumesAfterKillNineWithNothingAppliedTwice() throws Exception {
        String db = pg.newDatabase("ledger");
        LedgerWriter.createSchema(pg.source(), db);
        String id = pg.migrationId();
        Path log = Path.of("target", "child-logs", id + ".log");
        Process second = null;
        try (LedgerWriter writer = LedgerWriter.start(pg.source(), db)) {
            Process first = ChildMigration.start(pg.source(), pg.target(), log, id, db);
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> applied(db) > 30);
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            long appliedAtKill = applied(db);
            assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = '"
                    + db + "'")).as("slot kept by the killed run").isEqualTo(1);
            long committedAtKill = writer.committed();
            await().atMost(Duration.ofMinutes(1)).until(() -> writer.committed() > committedAtKill + 100);

            second = ChildMigration.start(pg.source(), pg.target(), log, id, db);
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> applied(db) > appliedAtKill + 100 && caughtUp(pg.target(), id));
            writer.close();
            cutOver(second, id, log);
        } finally {
            if (second != null) {
                second.destroyForcibly();
            }
        }
        assertIdenticalAndNothingDoubled(db, 200);
        assertThat(Files.exists(log)).isTrue();
    }

    // guards exactly-once for schema changes: a DDL replayed before the kill is not replayed again, none is lost
    @Test
    void resumesAfterKillNineInTheMiddleOfSchemaChangesAndEndsIdentical() throws Exception {
        String db = pg.newDatabase("ddlkill");
        LedgerWriter.createSchema(pg.source(), db);
        DdlScenario.createSchema(pg.source(), db);
        String id = pg.migrationId();
        Path log = Path.of("target", "child-logs", id + ".log");
        Process second = null;
        try (LedgerWriter writer = LedgerWriter.start(pg.source(), db)) {
            Process first = ChildMigration.start(pg.source(), pg.target(), log, id, db);
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> applied(db) > 30);
                DdlScenario.firstHalf(pg.source(), db);
                // killed while the stream carries the first half's statements (or just after it applied some)
                await().atMost(Duration.ofMinutes(1)).until(() -> pg.target().queryValue(db,
                        "SELECT to_regclass('public.newt')") != null || pg.target().queryValue(db,
                        "SELECT to_regclass('public.newt2')") != null);
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            DdlScenario.secondHalf(pg.source(), db);
            second = ChildMigration.start(pg.source(), pg.target(), log, id, db);
            long committed = writer.committed();
            await().atMost(Duration.ofMinutes(3)).until(() -> applied(db) > committed && caughtUp(pg.target(), id)
                    && pg.target().queryValue(db, "SELECT to_regclass('public.dropme')") == null);
            writer.close();
            cutOver(second, id, log);
        } finally {
            if (second != null) {
                second.destroyForcibly();
            }
        }
        assertIdenticalAndNothingDoubled(db, 30);
        DdlScenario.assertIdentical(pg, db);
    }

    // a crash during the initial copy: the next run must copy that database again from scratch, at a new slot
    @Test
    void aKillDuringTheCopyCopiesAgainCleanly() throws Exception {
        String db = pg.newDatabase("bulk");
        LedgerWriter.createSchema(pg.source(), db);
        pg.source().execute(db, "CREATE TABLE bulk (id bigint PRIMARY KEY, v text)",
                "INSERT INTO bulk SELECT g, md5(g::text) FROM generate_series(1, 1500000) g");
        String id = pg.migrationId();
        Path log = Path.of("target", "child-logs", id + ".log");
        Process second = null;
        try (LedgerWriter writer = LedgerWriter.start(pg.source(), db)) {
            Process first = ChildMigration.start(pg.source(), pg.target(), log, id, db);
            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> copying(id, db));
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(applied(db)).as("killed before the stream started").isEqualTo(-1);

            second = ChildMigration.start(pg.source(), pg.target(), log, id, db);
            await().atMost(Duration.ofMinutes(3)).until(() -> applied(db) > 0 && caughtUp(pg.target(), id));
            long committed = writer.committed();
            await().atMost(Duration.ofMinutes(1)).until(() -> writer.committed() > committed + 50);
            writer.close();
            cutOver(second, id, log);
        } finally {
            if (second != null) {
                second.destroyForcibly();
            }
        }
        assertIdenticalAndNothingDoubled(db, 50);
    }

    /** Asks the run for its cutover through the state tables, as another process would, and waits for it. */
    private static void cutOver(Process run, String id, Path log) throws InterruptedException {
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            control.requestCutover(id);
        }
        assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("second run ended").isTrue();
        assertThat(run.exitValue()).as("exit code of the second run; log in %s", log).isZero();
    }

    private static void assertIdenticalAndNothingDoubled(String db, long minTransactions) {
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        long txns = pg.target().queryLong(db, "SELECT txns FROM counter");
        assertThat(txns).isGreaterThan(minTransactions);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM entry"))
                .as("rows = initial + %d per transaction, so none doubled", LedgerWriter.ROWS_PER_TXN)
                .isEqualTo(1000 + LedgerWriter.ROWS_PER_TXN * txns);
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots")).isZero();
    }

    private static boolean copying(String id, String db) {
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            return control.status(id).flatMap(s -> s.database(db))
                    .map(d -> d.phase() == Phase.COPYING && d.rowsCopied() > 0).orElse(false);
        } catch (RuntimeException e) {
            return false; // the state tables are not there yet
        }
    }

    /** Writer transactions the target holds (the counter row), or -1 before the copy made it. */
    private static long applied(String db) {
        try {
            if (!pg.target().databaseExists(db)
                    || pg.target().queryValue(db, "SELECT to_regclass('pgrelocate.progress')") == null
                    || pg.target().queryLong(db, "SELECT count(*) FROM pgrelocate.progress "
                    + "WHERE last_commit_lsn > '0/0'") == 0) {
                return -1;
            }
            return pg.target().queryLong(db, "SELECT txns FROM counter");
        } catch (IllegalStateException e) {
            return -1; // a run copying again from scratch dropped the database between two queries
        }
    }
}
