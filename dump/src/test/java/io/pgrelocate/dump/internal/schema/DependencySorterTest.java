package io.pgrelocate.dump.internal.schema;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DependencySorterTest {
    private final List<CatalogObject> objects = new ArrayList<>();
    private final List<Set<Integer>> dependsOn = new ArrayList<>();

    private int add(ObjectKind kind, String name, int... deps) {
        objects.add(new CatalogObject(kind, name, List.of("-- " + name), Set.of()));
        Set<Integer> d = new HashSet<>();
        for (int i : deps) {
            d.add(i);
        }
        dependsOn.add(d);
        return objects.size() - 1;
    }

    private List<String> describe(List<DependencySorter.ObjectLevel> levels) {
        return levels.stream().map(l -> (l.parallel() ? "parallel " : "serial ")
                + l.objects().stream().map(CatalogObject::name).toList()).toList();
    }

    // guards: tables created on several sessions at once come after the types, functions and sequences they use
    @Test
    void tablesRunInParallelOnlyAfterWhatTheyUseAndApartFromTheirDependents() {
        int schema = add(ObjectKind.SCHEMA, "schema app");
        int type = add(ObjectKind.TYPE, "type app.money2", schema);
        int function = add(ObjectKind.FUNCTION, "function app.next_id()", schema);
        int sequence = add(ObjectKind.SEQUENCE, "sequence app.s", schema);
        int a = add(ObjectKind.TABLE, "table app.a", schema, type);
        int b = add(ObjectKind.TABLE, "table app.b", schema, function);
        int c = add(ObjectKind.TABLE, "table app.c", schema, sequence);
        add(ObjectKind.TABLE, "table app.plain");
        int parent = add(ObjectKind.TABLE, "table app.parent", schema);
        add(ObjectKind.TABLE, "table app.parent_1", parent);
        int view = add(ObjectKind.VIEW, "view app.v", a, b);
        add(ObjectKind.VIEW, "view app.w", c);
        add(ObjectKind.VIEW, "view app.v_of_v", view);
        // an extension's type is no object here: the table that uses it has no recorded dependency on it
        add(ObjectKind.EXTENSION, "extension hstore");
        add(ObjectKind.TABLE, "table public.uses_hstore");

        List<String> cycles = new ArrayList<>();
        List<DependencySorter.ObjectLevel> levels = DependencySorter.levels(objects, dependsOn, cycles);

        assertThat(cycles).isEmpty();
        assertThat(describe(levels)).containsExactly(
                "serial [schema app, extension hstore, type app.money2, function app.next_id()]",
                "parallel [sequence app.s]",
                "parallel [table app.plain, table public.uses_hstore, table app.parent, table app.a, table app.b, "
                        + "table app.c]",
                "serial [table app.parent_1]",
                "parallel [view app.v, view app.w]",
                "parallel [view app.v_of_v]");
    }

    // guards: objects of a dependency cycle run alone, in order, after the rest
    @Test
    void objectsInACycleRunSerially() {
        int x = add(ObjectKind.TABLE, "table x");
        int y = add(ObjectKind.TABLE, "table y", x);
        dependsOn.get(x).add(y);
        add(ObjectKind.TABLE, "table z");

        List<String> cycles = new ArrayList<>();
        List<DependencySorter.ObjectLevel> levels = DependencySorter.levels(objects, dependsOn, cycles);

        assertThat(cycles).containsExactly("table x", "table y");
        assertThat(describe(levels)).containsExactly("parallel [table z]", "serial [table x, table y]");
    }
}
