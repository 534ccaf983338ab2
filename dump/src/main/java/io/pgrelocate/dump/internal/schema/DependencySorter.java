package io.pgrelocate.dump.internal.schema;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Orders pre-data objects so that every object comes after what it depends on, as pg_depend records it
 * (normal and automatic dependencies), whatever order the objects were created in on the source. Ties go
 * to {@link ObjectKind} order, then name, so the output is stable.
 */
final class DependencySorter {
    private DependencySorter() {
    }

    /** One normal or automatic dependency, as catalog keys: {@code from} depends on {@code to}. */
    record Edge(CatalogKey from, CatalogKey to) {
    }

    /**
     * The dependencies between user objects, read on their own so that the query can run alongside the objects'
     * (the sort needs both).
     */
    static List<Edge> edges(Catalog catalog) throws SQLException {
        return catalog.query("SELECT classid::oid::bigint, objid::bigint, refclassid::oid::bigint, refobjid::bigint "
                + "FROM pg_depend d WHERE deptype IN ('n', 'a') AND refobjid >= 16384 "
                // a sequence OWNED BY a column points back at its table: that edge is replayed after the tables
                + "AND NOT (d.deptype = 'a' AND d.classid = 'pg_class'::regclass AND d.refobjsubid > 0 "
                + "AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S')",
                rs -> new Edge(new CatalogKey(rs.getLong(1), rs.getLong(2)), new CatalogKey(rs.getLong(3), rs.getLong(4))));
    }

    /** The objects sorted; objects caught in a dependency cycle are appended in kind order, named in {@code cycles}. */
    static List<CatalogObject> sort(List<CatalogObject> objects, List<Edge> edges, List<String> cycles) {
        Map<CatalogKey, Integer> owner = new HashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            for (CatalogKey k : objects.get(i).owns()) {
                owner.put(k, i);
            }
        }
        List<Set<Integer>> dependsOn = new ArrayList<>();
        objects.forEach(o -> dependsOn.add(new HashSet<>()));
        for (Edge e : edges) {
            Integer from = owner.get(e.from());
            Integer to = owner.get(e.to());
            if (from != null && to != null && !from.equals(to)) {
                dependsOn.get(from).add(to);
            }
        }
        // a type created over a shell (a base type, a range with a canonical function) and its own functions
        // (I/O, canonical) depend on each other: the functions take and return the shell, so they go first
        for (int f = 0; f < objects.size(); f++) {
            if (objects.get(f).kind() == ObjectKind.FUNCTION) {
                int function = f;
                dependsOn.get(f).removeIf(t -> objects.get(t).kind() == ObjectKind.BASE_TYPE
                        && dependsOn.get(t).contains(function));
            }
        }
        return topological(objects, dependsOn, cycles);
    }

    private static List<CatalogObject> topological(List<CatalogObject> objects, List<Set<Integer>> dependsOn,
                                                   List<String> cycles) {
        int n = objects.size();
        int[] missing = new int[n];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            missing[i] = dependsOn.get(i).size();
            for (int d : dependsOn.get(i)) {
                dependents.get(d).add(i);
            }
        }
        Comparator<Integer> order = Comparator.<Integer, ObjectKind>comparing(i -> objects.get(i).kind())
                .thenComparing(i -> objects.get(i).name());
        PriorityQueue<Integer> ready = new PriorityQueue<>(order);
        for (int i = 0; i < n; i++) {
            if (missing[i] == 0) {
                ready.add(i);
            }
        }
        List<CatalogObject> out = new ArrayList<>(n);
        boolean[] done = new boolean[n];
        while (!ready.isEmpty()) {
            int i = ready.poll();
            done[i] = true;
            out.add(objects.get(i));
            for (int d : dependents.get(i)) {
                if (--missing[d] == 0) {
                    ready.add(d);
                }
            }
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!done[i]) {
                rest.add(i);
            }
        }
        rest.sort(order);
        for (int i : rest) {
            cycles.add(objects.get(i).name());
            out.add(objects.get(i));
        }
        return out;
    }
}
