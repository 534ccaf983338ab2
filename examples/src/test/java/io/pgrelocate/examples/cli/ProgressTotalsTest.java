package io.pgrelocate.examples.cli;

import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Mode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTotalsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long MB = 1024 * 1024;

    // guards issue 14: progress had no totals, no rate and no ETA, and post-data printed nothing
    @Test
    void showsWholeRunTotalsRateEtaAndPostData() {
        ProgressTotals totals = new ProgressTotals();
        totals.started(new MigrationEvent.MigrationStarted("m", Mode.DUMP, List.of("shop", "crm"), List.of(), T0));
        totals.planned(new MigrationEvent.CopyPlanned("shop", 2, 1000, 100 * MB, T0));
        totals.planned(new MigrationEvent.CopyPlanned("crm", 1, 10, 100 * MB, T0));
        totals.copied(progress("crm", "public.c", 100 * MB, true, T0));
        totals.rate(T0);
        totals.copied(progress("shop", "public.a", 50 * MB, false, T0.plusSeconds(5)));
        totals.postData(new MigrationEvent.PostDataProgress("crm", 3, 8, "index public.c_pkey", T0.plusSeconds(5)));

        String line = totals.line(T0.plusSeconds(5));

        assertThat(line).isEqualTo("copy: 1/2 databases, 1/3 tables, 150.0 MB of ~200.0 MB (75%), 10.0 MB/s, "
                + "ETA 0:05; post-data: 3/8 indexes, constraints and statistics built");
    }

    @Test
    void formatsLongEtasWithHours() {
        assertThat(ProgressTotals.clock(Duration.ofSeconds(3 * 3600 + 62))).isEqualTo("3:01:02");
        assertThat(ProgressTotals.clock(Duration.ofSeconds(75))).isEqualTo("1:15");
    }

    private static MigrationEvent.TableCopyProgress progress(String db, String table, long bytes, boolean done,
                                                             Instant at) {
        return new MigrationEvent.TableCopyProgress(db, table, 1, bytes, 1, bytes, done, at);
    }
}
