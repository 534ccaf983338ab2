package io.pgrelocate.replication.internal;

import io.pgrelocate.core.FenceMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FenceMarkerTest {
    // guards the exact restore: whatever the original comment and role names hold must come back unchanged
    @Test
    void aMarkerReadsBackExactlyWhatWasRecorded() {
        FenceMarker m = new FenceMarker("m1", FenceMode.STRONG, "on", "orders & refunds = 100%\nline two, \"quoted\"",
                List.of("PUBLIC", "app,role*", "Ünïcode=x"), List.of("app,role*"), "{=Tc/postgres,postgres=CTc/postgres}");
        FenceMarker back = FenceMarker.decode(m.encode()).orElseThrow();
        assertThat(back).isEqualTo(m);
    }

    @Test
    void absentValuesStayAbsent() {
        FenceMarker m = new FenceMarker("m2", FenceMode.READ_ONLY, null, null, List.of(), List.of(), null);
        assertThat(FenceMarker.decode(m.encode())).contains(m);
    }

    @Test
    void anOrdinaryCommentIsNoMarker() {
        assertThat(FenceMarker.decode("the shop's orders")).isEmpty();
        assertThat(FenceMarker.decode(null)).isEmpty();
    }

    // guards the stall timeout: derived from the server's wal_sender_timeout, bounded both ways
    @Test
    void theStallTimeoutFollowsTheServerWithinBounds() {
        assertThat(StallWatch.timeout(null, Optional.of(Duration.ofSeconds(60)))).isEqualTo(Duration.ofSeconds(120));
        assertThat(StallWatch.timeout(null, Optional.of(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(10));
        assertThat(StallWatch.timeout(null, Optional.of(Duration.ofHours(1)))).isEqualTo(Duration.ofMinutes(5));
        assertThat(StallWatch.timeout(null, Optional.of(Duration.ZERO))).isEqualTo(Duration.ofMinutes(5));
        assertThat(StallWatch.timeout(Duration.ofSeconds(3), Optional.of(Duration.ofSeconds(60))))
                .isEqualTo(Duration.ofSeconds(3));
    }
}
