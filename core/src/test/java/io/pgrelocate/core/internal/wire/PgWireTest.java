package io.pgrelocate.core.internal.wire;

import org.junit.jupiter.api.Test;
import org.postgresql.core.PGStream;

import java.lang.reflect.Field;

import static org.assertj.core.api.Assertions.assertThat;

class PgWireTest {
    // guards the one reach into pgjdbc: a pgjdbc upgrade that moves the protocol stream fails here, not in a run
    @Test
    void theProtocolStreamFieldIsWherePgWireReadsIt() {
        Field f = PgWire.field();
        assertThat(f.getType()).isEqualTo(PGStream.class);
        assertThat(f.trySetAccessible()).as("readable").isTrue();
    }
}
