package io.pgrelocate.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {
    @Test
    void roundTripsTheServersTextForm() {
        assertThat(Lsn.parse("16/B374D848").toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.INVALID);
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").value()).isEqualTo(-1L);
    }

    @Test
    void ordersAsUnsignedPositions() {
        Lsn high = Lsn.parse("FFFFFFFF/0");
        Lsn low = Lsn.parse("1/0");
        assertThat(high).isGreaterThan(low);
        assertThat(high.bytesAfter(low)).isEqualTo(0xFFFFFFFEL << 32);
        assertThat(low.bytesAfter(high)).isZero();
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Lsn.parse("12345")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lsn.parse("1/XYZ")).isInstanceOf(IllegalArgumentException.class);
    }
}
