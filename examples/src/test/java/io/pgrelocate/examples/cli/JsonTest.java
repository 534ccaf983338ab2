package io.pgrelocate.examples.cli;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.PgRelocateException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    // guards issue 14: status --json printed an LSN as {"value":854717312}
    @Test
    void writesAnLsnAsPostgresPrintsIt() {
        String line = Json.event("CaughtUp", new MigrationEvent.CaughtUp("shop", Lsn.parse("0/16B3748"),
                Instant.parse("2026-01-02T03:04:05Z")));
        assertThat(line).isEqualTo("{\"event\":\"CaughtUp\",\"database\":\"shop\",\"appliedLsn\":\"0/16B3748\","
                + "\"at\":\"2026-01-02T03:04:05Z\"}");
    }

    @Test
    void escapesTextAndWritesDurationsExceptionsAndNonFiniteNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "a \"quoted\"\nline\t\u0001");
        m.put("elapsed", Duration.ofMillis(1500));
        m.put("error", new PgRelocateException(ErrorCode.COPY_FAILED, "copy of t failed"));
        m.put("ratio", Double.NaN);
        m.put("list", List.of(1, 2L));
        assertThat(Json.of(m)).isEqualTo("{\"text\":\"a \\\"quoted\\\"\\nline\\t\\u0001\",\"elapsed\":1.5,"
                + "\"error\":{\"code\":\"COPY_FAILED\",\"message\":\"copy of t failed\"},\"ratio\":null,"
                + "\"list\":[1,2]}");
    }
}
