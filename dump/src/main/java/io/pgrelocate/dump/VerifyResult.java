package io.pgrelocate.dump;

import io.pgrelocate.core.spi.JsonText;

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
        StringBuilder sb = new StringBuilder("{\"matches\":").append(matches()).append(",\"databases\":[");
        for (int i = 0; i < databases.size(); i++) {
            sb.append(i == 0 ? "" : ",");
            JsonText.quote(sb, databases.get(i));
        }
        sb.append("],\"objectsCompared\":").append(objectsCompared).append(",\"tablesCompared\":")
                .append(tablesCompared).append(",\"rowsCompared\":").append(rowsCompared)
                .append(",\"elapsedSeconds\":").append(elapsed.toMillis() / 1000.0).append(",\"differences\":[");
        for (int i = 0; i < differences.size(); i++) {
            Difference d = differences.get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"database\":");
            JsonText.quote(sb, d.database());
            sb.append(",\"kind\":");
            JsonText.quote(sb, d.kind());
            sb.append(",\"object\":");
            JsonText.quote(sb, d.object());
            sb.append(",\"problem\":");
            JsonText.quote(sb, d.problem().name());
            sb.append(",\"detail\":");
            JsonText.quote(sb, d.detail());
            sb.append('}');
        }
        return sb.append("]}").toString();
    }
}
