package io.pgrelocate.core;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which source databases move: exactly the {@code included} ones when that list is not empty,
 * otherwise every non-template database that accepts connections minus the {@code ignored} ones.
 */
public record DatabaseSelection(List<String> included, Set<String> ignored) implements Predicate<String> {
    public DatabaseSelection {
        included = List.copyOf(included);
        ignored = Set.copyOf(ignored);
    }

    public static DatabaseSelection all() {
        return new DatabaseSelection(List.of(), Set.of());
    }

    public boolean isExplicit() {
        return !included.isEmpty();
    }

    @Override
    public boolean test(String database) {
        return (included.isEmpty() || included.contains(database)) && !ignored.contains(database);
    }
}
