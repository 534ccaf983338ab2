package io.pgrelocate.core.internal;

import io.pgrelocate.core.DatabaseStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

// guards issue 14: each snapshot carries an earlier reading about a window old, so one read of the state gives rates
class ReadingsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static DatabaseStatus.Reading at(long seconds, long bytes) {
        return new DatabaseStatus.Reading(T0.plusSeconds(seconds), bytes, -1);
    }

    @Test
    void theFirstReadingHasNothingToCompareWith() {
        assertThat(new Readings().next(at(0, 0))).isNull();
    }

    @Test
    void theEarlierReadingIsTheNewestOneAtLeastAWindowOld() {
        Readings readings = new Readings();
        for (long s = 0; s < 30; s++) {
            DatabaseStatus.Reading earlier = readings.next(at(s, s * 100));
            if (s > 0) {
                long expected = Math.max(0, s - Readings.WINDOW.toSeconds());
                assertThat(earlier.at()).as("at second %d", s).isEqualTo(T0.plusSeconds(expected));
                assertThat(earlier.bytesCopied()).isEqualTo(expected * 100);
            }
        }
    }

    @Test
    void readingsMoreOftenThanASecondAreNotKeptAndAResetForgetsAll() {
        Readings readings = new Readings();
        readings.next(at(0, 0));
        DatabaseStatus.Reading again = readings.next(new DatabaseStatus.Reading(T0.plusMillis(300), 10, -1));
        assertThat(again.at()).isEqualTo(T0);
        readings.clear();
        assertThat(readings.next(at(5, 0))).isNull();
    }

    @Test
    void readingsFromBeforeTheLagWasKnownAreDroppedOnceItIs() {
        Readings readings = new Readings();
        readings.next(at(0, 100));
        readings.next(at(1, 100));
        assertThat(readings.next(new DatabaseStatus.Reading(T0.plusSeconds(2), 100, 5000))).isNull();
        assertThat(readings.next(new DatabaseStatus.Reading(T0.plusSeconds(3), 100, 4000)).lagBytes()).isEqualTo(5000);
    }
}
