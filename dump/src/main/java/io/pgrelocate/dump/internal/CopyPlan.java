package io.pgrelocate.dump.internal;

import io.pgrelocate.dump.internal.schema.TableData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Orders the copy work biggest first and splits a big table into block ranges, so that one huge
 * table does not leave the other workers idle at the end.
 */
final class CopyPlan {
    /** Tables with fewer heap bytes than this are copied whole. */
    static final long SLICE_BYTES = 256L * 1024 * 1024;
    private static final long BLOCK_SIZE = 8192;

    private CopyPlan() {
    }

    /**
     * @param heapBytes main-fork size of each table (by qualified name), to cut slices by block numbers
     */
    static List<CopyTask> plan(List<TableData> tables, Map<String, Long> heapBytes, int jobs) {
        List<CopyTask> tasks = new ArrayList<>();
        for (TableData t : tables) {
            long bytes = heapBytes.getOrDefault(t.qualified(), 0L);
            int slices = jobs <= 1 ? 1 : (int) Math.min(jobs * 2L, (bytes + SLICE_BYTES - 1) / SLICE_BYTES);
            if (slices <= 1) {
                tasks.add(CopyTask.whole(t));
                continue;
            }
            long blocks = bytes / BLOCK_SIZE;
            long per = (blocks + slices - 1) / slices;
            for (int i = 0; i < slices; i++) {
                long from = i == 0 ? -1 : i * per;
                // the last slice is open-ended: rows the snapshot sees may sit past the size read at planning
                long to = i == slices - 1 ? -1 : (i + 1) * per;
                tasks.add(new CopyTask(t, from, to, i + 1, slices));
            }
        }
        tasks.sort(Comparator.comparingLong(CopyTask::weight).reversed());
        return tasks;
    }
}
