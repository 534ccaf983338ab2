package io.pgrelocate.replication;

import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Phase;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM of the migrating JVM in each phase: the run stops within seconds and records how it ended. */
class SigtermIT {
    /** A generous bound for "within seconds" on a shared 2-core machine; the JVM itself gives up after 20 s. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 16);

    // guards prompt, recorded shutdown: a SIGTERM once killed the run where it stood, leaving it RUNNING in the
    // state tables, or waited for a long index build to finish
    @ParameterizedTest
    @ValueSource(strings = {"copy", "post-data", "streaming", "cutover-wait"})
    void aSigtermStopsTheRunWithinSecondsInEveryPhase(String phase) throws Exception {
        String db = pg.newDatabase("term");
        pg.source().execute(db, "CREATE TABLE t (id bigint PRIMARY KEY, v text)");
        if (phase.equals("copy")) {
            pg.source().execute(db, "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000000) g");
        } else if (!phase.equals("streaming")) {
            // an index whose build takes minutes on the target (10 ms a row there, in our sessions only)
            pg.source().execute(db, "CREATE FUNCTION public.slow(bigint) RETURNS bigint IMMUTABLE LANGUAGE sql "
                            + "AS 'SELECT $1 FROM pg_catalog.pg_sleep(CASE WHEN pg_catalog.current_setting("
                            + "''application_name'') LIKE ''pgrelocate/%'' THEN 0.01 ELSE 0 END)'",
                    "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                    "CREATE INDEX t_slow ON t (public.slow(id))");
        }
        String id = pg.migrationId();
        Path log = ChildMigration.freshLog(id);
        Process child = ChildMigration.start("256m", true, pg.source(), pg.target(), log, id, db);
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> reached(id, db, phase));
            if (phase.equals("cutover-wait")) {
                try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                    control.requestCutover(id);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> status(id)
                        .map(s -> s.state() == MigrationState.CUTTING_OVER || "cutover".equals(s.requestedAction()))
                        .orElse(false));
            }
            long sent = System.nanoTime();
            child.destroy();
            assertThat(child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("ended within %s; log in %s", BOUND, log)
                    .isTrue();
            System.out.printf("SIGTERM in %s: ended after %d ms%n", phase, (System.nanoTime() - sent) / 1_000_000);
        } finally {
            child.destroyForcibly();
        }
        assertThat(status(id).map(MigrationStatus::state).orElse(null)).as("recorded end; log in %s", log)
                .isIn(MigrationState.STOPPED, MigrationState.FAILED);
    }

    private static boolean reached(String id, String db, String phase) {
        Optional<MigrationStatus> status = status(id);
        return status.flatMap(s -> s.database(db)).map(d -> switch (phase) {
            case "copy" -> d.phase() == Phase.COPYING && d.rowsCopied() > 0;
            case "streaming" -> d.phase() == Phase.STREAMING;
            // the slow index may build while other rows still copy: a table's indexes start once its rows are in
            default -> d.phase() == Phase.POST_DATA || slowIndexBuilding();
        }).orElse(false);
    }

    private static boolean slowIndexBuilding() {
        return !"0".equals(pg.target().queryValue("postgres", "SELECT count(*) FROM pg_stat_activity WHERE state = "
                + "'active' AND query LIKE 'CREATE INDEX%t_slow%'"));
    }

    private static Optional<MigrationStatus> status(String id) {
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            return control.status(id);
        } catch (RuntimeException e) {
            return Optional.empty(); // the state tables are not there yet
        }
    }
}
