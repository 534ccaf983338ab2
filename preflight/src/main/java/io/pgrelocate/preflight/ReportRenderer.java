package io.pgrelocate.preflight;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pgrelocate.core.Finding;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Writes a {@link PreflightReport} as text for people or as JSON for programs. Stateless and thread-safe.
 *
 * <pre>{@code
 * System.out.println(ReportRenderer.text(migration.preflight()));
 * }</pre>
 */
public final class ReportRenderer {
    private static final String INDENT = "    ";
    private static final JsonFactory JSON = new JsonFactory();

    private ReportRenderer() {
    }

    /**
     * Errors first; each finding as a headline ({@code ERROR   CODE  kind subject}), its message, and its
     * remediation indented under {@code fix:}; then a one-line verdict.
     */
    public static String text(PreflightReport report) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : report.findings()) {
            sb.append(String.format(Locale.ROOT, "%-8s%s  %s %s%n", f.severity(), f.code(), f.subjectKind(),
                    f.subject()));
            sb.append(INDENT).append(f.message()).append(System.lineSeparator());
            if (!f.remediation().isEmpty()) {
                String[] lines = f.remediation().split("\n", -1);
                sb.append(INDENT).append("fix: ").append(lines[0]).append(System.lineSeparator());
                for (int i = 1; i < lines.length; i++) {
                    sb.append(INDENT).append("     ").append(lines[i]).append(System.lineSeparator());
                }
            }
        }
        sb.append(verdict(report));
        return sb.toString();
    }

    /** One line: how many of each severity, and whether the migration may start. */
    public static String verdict(PreflightReport report) {
        int errors = report.errors().size();
        int warnings = report.warnings().size();
        int infos = report.bySeverity(Severity.INFO).size();
        String counts = errors + " error(s), " + warnings + " warning(s), " + infos + " note(s)";
        if (errors > 0) {
            return "preflight: " + counts + ": the migration cannot start until the errors are fixed";
        }
        if (warnings > 0) {
            return "preflight: " + counts + ": the migration can start once the warnings are accepted "
                    + "(--accept-warnings)";
        }
        return "preflight: " + counts + ": ready to migrate";
    }

    /**
     * {@code {"ok":bool,"errors":n,"warnings":n,"infos":n,"findings":[{"code":..,"severity":..,"subjectKind":..,
     * "subject":..,"message":..,"remediation":..}]}}.
     */
    public static String json(PreflightReport report) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeBooleanField("ok", !report.hasErrors());
            g.writeNumberField("errors", report.errors().size());
            g.writeNumberField("warnings", report.warnings().size());
            g.writeNumberField("infos", report.bySeverity(Severity.INFO).size());
            g.writeArrayFieldStart("findings");
            for (Finding f : report.findings()) {
                g.writeStartObject();
                g.writeStringField("code", f.code());
                g.writeStringField("severity", f.severity().name());
                g.writeStringField("subjectKind", f.subjectKind());
                g.writeStringField("subject", f.subject());
                g.writeStringField("message", f.message());
                g.writeStringField("remediation", f.remediation());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to a string", e);
        }
        return out.toString();
    }
}
