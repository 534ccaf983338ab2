package io.pgrelocate.dump.internal.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * A range of a heap table's blocks, read by a TID range scan (14+), so that one big table is checksummed by
 * several sessions at once. The last slice is open-ended, so rows in blocks added since the size was read
 * still count.
 *
 * @param from first block, inclusive
 * @param to   last block, exclusive; {@code -1} for no end
 */
record BlockSlice(long from, long to) {
    static final BlockSlice WHOLE = new BlockSlice(0, -1);
    /** Tables of at least twice this many blocks (2 x 32 MB at 8 kB blocks) are split. */
    static final long MIN_BLOCKS = 4096;

    /** Up to {@code jobs} slices of at least {@link #MIN_BLOCKS} blocks each, covering every block. */
    static List<BlockSlice> of(long blocks, int jobs, boolean heap) {
        int n = (int) Math.min(jobs, blocks / MIN_BLOCKS);
        if (!heap || n < 2) {
            return List.of(WHOLE);
        }
        List<BlockSlice> out = new ArrayList<>();
        long step = blocks / n;
        for (int i = 0; i < n; i++) {
            out.add(new BlockSlice(i * step, i == n - 1 ? -1 : (i + 1) * step));
        }
        return out;
    }

    /** The WHERE clause over the table aliased {@code t}, or nothing for the whole table. */
    String where() {
        if (from == 0 && to < 0) {
            return "";
        }
        String lower = from == 0 ? "" : "t.ctid >= '(" + from + ",0)'::tid";
        String upper = to < 0 ? "" : "t.ctid < '(" + to + ",0)'::tid";
        return " WHERE " + (lower.isEmpty() ? upper : upper.isEmpty() ? lower : lower + " AND " + upper);
    }
}
