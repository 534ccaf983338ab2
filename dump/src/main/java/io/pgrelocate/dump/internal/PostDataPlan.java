package io.pgrelocate.dump.internal;

import io.pgrelocate.dump.internal.schema.DdlStatement;
import io.pgrelocate.dump.internal.schema.TableData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Splits the post-data into what each copied table needs alone and the waves that wait for the whole copy. */
final class PostDataPlan {
    private PostDataPlan() {
    }

    /**
     * One copied table's own post-data: {@code first}, the statements of its earliest wave (its indexes), which
     * may run at once, in parallel (a wave's statements are independent); then {@code then}, in order, once they
     * are all done (its keys, which use those indexes; its ANALYZE last).
     */
    record TableWork(List<DdlStatement> first, List<DdlStatement> then) {
    }

    /**
     * Takes out of {@code waves} (a mutable list; emptied waves are removed) every statement that names a copied
     * table of its own ({@link DdlStatement#table()}), and returns them by table.
     */
    static Map<String, TableWork> takePerTable(List<List<DdlStatement>> waves, List<TableData> tables) {
        Set<String> copied = new HashSet<>();
        tables.forEach(t -> copied.add(t.qualified()));
        Map<String, TableWork> byTable = new LinkedHashMap<>();
        Map<String, Integer> firstWave = new HashMap<>();
        for (int i = 0; i < waves.size(); i++) {
            List<DdlStatement> rest = new ArrayList<>();
            for (DdlStatement s : waves.get(i)) {
                if (s.table() == null || !copied.contains(s.table())) {
                    rest.add(s);
                    continue;
                }
                TableWork work = byTable.computeIfAbsent(s.table(), k -> new TableWork(new ArrayList<>(),
                        new ArrayList<>()));
                int wave = i;
                (firstWave.computeIfAbsent(s.table(), k -> wave) == i ? work.first() : work.then()).add(s);
            }
            waves.set(i, rest);
        }
        waves.removeIf(List::isEmpty);
        return byTable;
    }

    /** How many statements {@code byTable} holds. */
    static int size(Map<String, TableWork> byTable) {
        return byTable.values().stream().mapToInt(w -> w.first().size() + w.then().size()).sum();
    }
}
