package io.pgrelocate.dump.internal.schema;

import java.util.List;

/**
 * Pre-data objects the target may create together: at once, each on any session ({@code parallel}: none depends on
 * another of the level, and each locks only what it creates), or one after the other. Levels run in order.
 *
 * @param objects each object's statements, which run in order on one session
 */
public record PreDataLevel(boolean parallel, List<List<DdlStatement>> objects) {
    public PreDataLevel {
        objects = objects.stream().map(List::copyOf).toList();
    }

    /** Every statement of the level, object after object. */
    public List<DdlStatement> statements() {
        return objects.stream().flatMap(List::stream).toList();
    }

    /** How many statements the level holds. */
    public int size() {
        return objects.stream().mapToInt(List::size).sum();
    }
}
