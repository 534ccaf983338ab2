package io.pgrelocate.preflight;

import io.pgrelocate.core.Finding;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportRendererTest {
    private final PreflightReport report = new PreflightReport(List.of(
            new Finding("SSL_NEGOTIATED", Severity.INFO, "server", "source", "no TLS", ""),
            new Finding("WAL_LEVEL_NOT_LOGICAL", Severity.ERROR, "setting", "source wal_level",
                    "wal_level is \"replica\"\\", "ALTER SYSTEM SET wal_level = logical;\n-- then restart\t\u0001")));

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        String json = ReportRenderer.json(report);
        assertThat(json).startsWith("{\"ok\":false,\"errors\":1,\"warnings\":0,\"infos\":1,\"findings\":[{")
                .contains("\"message\":\"wal_level is \\\"replica\\\"\\\\\"")
                .contains("\"remediation\":\"ALTER SYSTEM SET wal_level = logical;\\n-- then restart\\t\\u0001\"")
                .doesNotContain("\n");
    }

    @Test
    void textListsErrorsFirstWithTheFixIndentedUnderIt() {
        String text = ReportRenderer.text(report);
        assertThat(text.lines().toList()).containsSubsequence(
                "ERROR   WAL_LEVEL_NOT_LOGICAL  setting source wal_level",
                "    fix: ALTER SYSTEM SET wal_level = logical;",
                "         -- then restart\t\u0001",
                "INFO    SSL_NEGOTIATED  server source");
        assertThat(text).endsWith("the migration cannot start until the errors are fixed");
    }

    @Test
    void anEmptyReportIsReady() {
        PreflightReport empty = new PreflightReport(List.of());
        assertThat(ReportRenderer.text(empty)).isEqualTo("preflight: 0 error(s), 0 warning(s), 0 note(s): ready to migrate");
        assertThat(ReportRenderer.json(empty)).isEqualTo("{\"ok\":true,\"errors\":0,\"warnings\":0,\"infos\":0,\"findings\":[]}");
    }
}
