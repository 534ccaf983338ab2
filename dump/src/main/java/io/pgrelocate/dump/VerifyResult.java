package io.pgrelocate.dump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What {@link Verifier#verify()} found: every difference between source and target, and how much was
 * compared. Immutable and thread-safe.
 *
 * @param databases        the databases compared, by name
 * @param differences      every difference found, by database, then in the order compared
 * @param objectsCompared  schema objects compared (counted once per pair present on either side)
 * @param tablesCompared   tables and materialized views whose rows were compared
 * @param rowsCompared     rows counted on the source in the tables compared
 * @param elapsed          how long the comparison took
 */
public record VerifyResult(List<String> databases, List<Difference> differences, long objectsCompared,
                           long tablesCompared, long rowsCompared, Duration elapsed) {
    private static final JsonFactory JSON = new JsonFactory();

    public VerifyResult {
        databases = List.copyOf(databases);
        differences = List.copyOf(differences);
    }

    /** Whether source and target hold the same schema and data. */
    public boolean matches() {
        return differences.isEmpty();
    }

    /** One line per difference, then a summary line. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Difference d : differences) {
            sb.append(d).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "verified %d database(s) (%s): %d objects and %d tables (%,d rows) "
                        + "compared in %.1f s: %s", databases.size(), String.join(", ", databases), objectsCompared,
                tablesCompared, rowsCompared, elapsed.toMillis() / 1000.0,
                matches() ? "source and target match" : differences.size() + " difference(s)"));
        return sb.toString();
    }

    /** The result as one JSON object (differences as an array of objects). */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeBooleanField("matches", matches());
            g.writeArrayFieldStart("databases");
            for (String db : databases) {
                g.writeString(db);
            }
            g.writeEndArray();
            g.writeNumberField("objectsCompared", objectsCompared);
            g.writeNumberField("tablesCompared", tablesCompared);
            g.writeNumberField("rowsCompared", rowsCompared);
            g.writeNumberField("elapsedSeconds", elapsed.toMillis() / 1000.0);
            g.writeArrayFieldStart("differences");
            for (Difference d : differences) {
                g.writeStartObject();
                g.writeStringField("database", d.database());
                g.writeStringField("kind", d.kind());
                g.writeStringField("object", d.object());
                g.writeStringField("problem", d.problem().name());
                g.writeStringField("detail", d.detail());
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
