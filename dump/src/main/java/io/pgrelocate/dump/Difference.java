package io.pgrelocate.dump;

import java.util.Locale;
import java.util.Objects;

/**
 * One way the target differs from the source, found by {@link Verifier}. Immutable.
 *
 * @param database the database (by name) the difference is in
 * @param kind     what sort of object: {@code database}, {@code database comment and privileges}, {@code schema}, {@code extension}, {@code type},
 *                 {@code domain}, {@code table}, {@code column}, {@code constraint}, {@code index},
 *                 {@code sequence}, {@code view}, {@code materialized view}, {@code function},
 *                 {@code procedure}, {@code aggregate}, {@code trigger}, {@code rule}, {@code policy} or
 *                 {@code large objects} (identity {@code pg_largeobject}: all of a database's, compared together)
 * @param object   the object's identity, the same on both servers: quoted where needed and qualified,
 *                 such as {@code public.orders}, {@code orders_pkey on public.orders} or
 *                 {@code public.add(integer, integer)}
 * @param problem  what differs
 * @param detail   the differing values, source first (may be empty)
 */
public record Difference(String database, String kind, String object, Problem problem, String detail) {
    /** What differs about one object. */
    public enum Problem {
        /** The source has the object, the target does not. */
        MISSING_ON_TARGET,
        /** The target has an object the source does not. */
        EXTRA_ON_TARGET,
        /** Both have it, defined differently (definition, options, owner, privileges, comment...). */
        DEFINITION_DIFFERS,
        /** A table holds a different number of rows. */
        ROW_COUNT_DIFFERS,
        /** A table holds the same number of rows with different content, or a sequence has another value. */
        CONTENT_DIFFERS;

        /** {@code missing on target}, {@code row count differs}... */
        public String describe() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public Difference {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(problem, "problem");
        detail = detail == null ? "" : detail;
    }

    /** One line: {@code shop: index public.orders_date_idx: missing on target}. */
    @Override
    public String toString() {
        String line = database + ": " + kind + " " + object + ": " + problem.describe()
                + (detail.isEmpty() ? "" : ": " + detail);
        return line.replace("\r", "\\r").replace("\n", "\\n");
    }
}
