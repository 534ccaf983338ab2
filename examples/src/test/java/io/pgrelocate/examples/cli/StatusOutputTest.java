package io.pgrelocate.examples.cli;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.MigrationOutcome;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code status} prints for each state a migration can be in, from rows as the state tables hold them
 * (the ITs drive real runs into these states; here every line is pinned).
 */
// guards issue 14: status had no copy ETA and measured rates by sleeping and reading the state again
class StatusOutputTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long MB = 1024 * 1024;
    private static final StatusCommand.Liveness RUNNING = new StatusCommand.Liveness(true, Duration.ofMillis(400),
            Duration.ofSeconds(1));
    private static final StatusCommand.Liveness GONE = new StatusCommand.Liveness(false, Duration.ofSeconds(9),
            Duration.ofSeconds(1));

    private static MigrationStatus migration(Mode mode, MigrationState state, String error, DatabaseStatus... dbs) {
        return new MigrationStatus("m1", mode, state, "postgresql://app@old:5432/postgres", T0,
                T0.plus(Duration.ofDays(14)), null, error, List.of(dbs));
    }

    private static DatabaseStatus copying(Phase phase) {
        return new DatabaseStatus("shop", phase, 4, 1, 120_000, 60 * MB, null, -1, null, null, T0.plusSeconds(20),
                200_000, 100 * MB, new DatabaseStatus.Reading(T0.plusSeconds(10), 20 * MB, -1));
    }

    private static DatabaseStatus streaming(long lagNow, long lagBefore) {
        return new DatabaseStatus("crm", Phase.STREAMING, 2, 2, 500, 64 * 1024, Lsn.parse("0/16B3748"), lagNow,
                Duration.ofMillis(1500), null, T0.plusSeconds(20), 500, 80 * 1024,
                new DatabaseStatus.Reading(T0.plusSeconds(10), 64 * 1024, lagBefore));
    }

    @Test
    void aRunningCopyShowsItsShareOfTheEstimateRateAndEta() {
        List<String> lines = StatusCommand.lines(migration(Mode.DUMP, MigrationState.RUNNING, null,
                copying(Phase.COPYING)), RUNNING);

        assertThat(lines.get(0)).startsWith("migration m1: DUMP RUNNING from postgresql://app@old:5432/postgres")
                .endsWith(", running (heartbeat 0.4 s ago)");
        assertThat(lines.get(1)).isEqualTo("  shop                 COPYING      1/4 tables, 120,000 rows, 60.0 MB, "
                + "60% of ~100.0 MB, copying 4.0 MB/s, ETA 0:10");
    }

    @Test
    void aRunningStreamShowsItsLagAndWhetherItFalls() {
        assertThat(StatusCommand.lines(migration(Mode.CONTINUOUS, MigrationState.RUNNING, null,
                streaming(MB, 3 * MB)), RUNNING).get(1)).isEqualTo("  crm                  STREAMING    2/2 tables, "
                + "500 rows, 64.0 kB, applied 0/16B3748, lag 1.0 MB / 1.5 s, lag falling 204.8 kB/s, caught up in ~0:05");
        assertThat(StatusCommand.lines(migration(Mode.CONTINUOUS, MigrationState.RUNNING, null,
                streaming(3 * MB, MB)), RUNNING).get(1)).endsWith(", lag rising 204.8 kB/s");
        assertThat(StatusCommand.lines(migration(Mode.CONTINUOUS, MigrationState.RUNNING, null,
                streaming(MB, MB)), RUNNING).get(1)).endsWith(", lag steady");
    }

    @Test
    void anInterruptedRunSaysNoProcessRunsItAndShowsNoStaleRate() {
        List<String> lines = StatusCommand.lines(migration(Mode.DUMP, MigrationState.INTERRUPTED, null,
                copying(Phase.COPYING)), GONE);

        assertThat(lines.get(0)).contains("DUMP INTERRUPTED").endsWith(", no process is running it, no heartbeat "
                + "for 9 s (start it again to resume)");
        assertThat(lines.get(1)).endsWith("60.0 MB, 60% of ~100.0 MB").doesNotContain("/s").doesNotContain("ETA");
    }

    @Test
    void aFailedRunShowsItsErrorAndTheFailedDatabase() {
        DatabaseStatus failed = new DatabaseStatus("shop", Phase.FAILED, 4, 1, 10, 1024, null, -1, null,
                "relation \"t\" does not exist on target", T0, 10, 2048, null);
        List<String> lines = StatusCommand.lines(migration(Mode.CONTINUOUS, MigrationState.FAILED,
                "database shop failed", failed), GONE);

        assertThat(lines).containsExactly("migration m1: CONTINUOUS FAILED from postgresql://app@old:5432/postgres, "
                        + "started 2026-12-01T10:00:00Z, stops by itself at 2026-12-15T10:00:00Z",
                "  error: database shop failed",
                "  shop                 FAILED       1/4 tables, 10 rows, 1.0 kB, error: relation \"t\" does not exist "
                        + "on target");
    }

    @Test
    void aStoppedRunShowsWhereEachDatabaseStopped() {
        DatabaseStatus stopped = new DatabaseStatus("shop", Phase.STOPPED, 4, 2, 10, 1024, null, -1, null, null, T0,
                10, 2048, null);
        List<String> lines = StatusCommand.lines(migration(Mode.DUMP, MigrationState.STOPPED, "stop requested",
                stopped), GONE);

        assertThat(lines.get(0)).contains("DUMP STOPPED").doesNotContain("no process");
        assertThat(lines).contains("  error: stop requested", "  shop                 STOPPED      2/4 tables, "
                + "10 rows, 1.0 kB");
    }

    @Test
    void aCompletedRunReadsFromItsOutcome() {
        MigrationOutcome done = new MigrationOutcome("m1", Mode.CONTINUOUS, MigrationState.COMPLETED,
                "postgresql://app@old:5432/postgres", T0, T0.plusSeconds(90), null);

        assertThat(StatusCommand.finished(done)).isEqualTo("migration m1: CONTINUOUS COMPLETED at "
                + "2026-12-01T10:01:30Z (started 2026-12-01T10:00:00Z, from postgresql://app@old:5432/postgres)");
    }

    @Test
    void jsonCarriesTheSameProgressInBytesAndSeconds() {
        Map<String, Object> copy = Trend.json(copying(Phase.COPYING), true);
        assertThat(copy).containsEntry("copyPercent", 60.0).containsEntry("copyBytesPerSecond", 4.0 * MB)
                .containsEntry("copyEtaSeconds", 10L).containsEntry("lagTrend", null);
        assertThat(Json.of(Trend.json(streaming(MB, 3 * MB), true))).contains("\"lagTrend\":\"falling\"")
                .contains("\"caughtUpInSeconds\":5");
        assertThat(Trend.json(copying(Phase.COPYING), false)).containsEntry("copyPercent", 60.0)
                .containsEntry("copyEtaSeconds", null);
    }
}
