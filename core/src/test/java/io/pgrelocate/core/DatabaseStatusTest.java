package io.pgrelocate.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

// guards issue 14: status had no copy ETA; rates now come from two readings the state holds, by their timestamps
class DatabaseStatusTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static DatabaseStatus copying(long copied, long planned, DatabaseStatus.Reading earlier, Instant at) {
        return new DatabaseStatus("db", Phase.COPYING, 3, 1, 1000, copied, null, -1, null, null, at, 5000, planned,
                earlier);
    }

    private static DatabaseStatus streaming(long lag, DatabaseStatus.Reading earlier, Instant at) {
        return new DatabaseStatus("db", Phase.STREAMING, 3, 3, 1000, 100, Lsn.parse("0/16B3748"), lag,
                Duration.ofSeconds(2), null, at, 5000, 100, earlier);
    }

    @Test
    void copyRateAndEtaComeFromTheTwoReadingsTimestamps() {
        DatabaseStatus s = copying(60_000_000, 100_000_000,
                new DatabaseStatus.Reading(T0, 20_000_000, -1), T0.plusSeconds(10));

        assertThat(s.copyPercent()).hasValue(60.0);
        assertThat(s.copyRate()).hasValue(4_000_000.0);
        assertThat(s.copyEta()).contains(Duration.ofSeconds(10));
        assertThat(s.lagRate()).isEmpty();
    }

    @Test
    void withoutAnEstimateOrAnEarlierReadingThereIsNoEta() {
        assertThat(copying(10, -1, new DatabaseStatus.Reading(T0, 0, -1), T0.plusSeconds(1)).copyPercent()).isEmpty();
        assertThat(copying(10, -1, new DatabaseStatus.Reading(T0, 0, -1), T0.plusSeconds(1)).copyEta()).isEmpty();
        assertThat(copying(10, 100, null, T0).copyRate()).isEmpty();
        assertThat(copying(10, 100, null, T0).copyPercent()).hasValue(10.0);
        assertThat(new DatabaseStatus("db", Phase.COPYING, 1, 0, 0, 0, null, -1, null, null, T0).bytesPlanned())
                .as("the constructor of earlier builds' rows").isEqualTo(-1);
    }

    @Test
    void aCopyPastItsEstimateReadsAsOneHundredPercentWithoutAnEta() {
        DatabaseStatus s = copying(150, 100, new DatabaseStatus.Reading(T0, 50, -1), T0.plusSeconds(1));
        assertThat(s.copyPercent()).hasValue(100.0);
        assertThat(s.copyRate()).hasValue(100.0);
        assertThat(s.copyEta()).isEmpty();
    }

    @Test
    void aFallingLagTellsWhenTheStreamCatchesUp() {
        DatabaseStatus falling = streaming(1_000_000, new DatabaseStatus.Reading(T0, 100, 3_000_000),
                T0.plusSeconds(4));
        assertThat(falling.lagRate()).hasValue(-500_000.0);
        assertThat(falling.catchUpEta()).contains(Duration.ofSeconds(2));
        assertThat(falling.copyRate()).as("no copy rate outside the copy").isEmpty();

        DatabaseStatus rising = streaming(3_000_000, new DatabaseStatus.Reading(T0, 100, 1_000_000),
                T0.plusSeconds(4));
        assertThat(rising.lagRate()).hasValue(500_000.0);
        assertThat(rising.catchUpEta()).isEmpty();
        assertThat(streaming(10, new DatabaseStatus.Reading(T0, 100, -1), T0.plusSeconds(1)).lagRate()).isEmpty();
    }
}
