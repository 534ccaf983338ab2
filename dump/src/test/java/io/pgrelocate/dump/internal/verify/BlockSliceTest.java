package io.pgrelocate.dump.internal.verify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlockSliceTest {
    @Test
    void smallOrNonHeapTablesAreReadWhole() {
        assertThat(BlockSlice.of(8191, 4, true)).containsExactly(BlockSlice.WHOLE);
        assertThat(BlockSlice.of(100_000, 1, true)).containsExactly(BlockSlice.WHOLE);
        assertThat(BlockSlice.of(100_000, 4, false)).containsExactly(BlockSlice.WHOLE);
        assertThat(BlockSlice.WHOLE.where()).isEmpty();
    }

    @Test
    void bigTablesAreSplitIntoAdjacentRangesTheLastOpenEnded() {
        List<BlockSlice> slices = BlockSlice.of(25_000, 3, true);
        assertThat(slices).containsExactly(new BlockSlice(0, 8333), new BlockSlice(8333, 16666),
                new BlockSlice(16666, -1));
        assertThat(slices.get(0).where()).isEqualTo(" WHERE t.ctid < '(8333,0)'::tid");
        assertThat(slices.get(1).where()).isEqualTo(" WHERE t.ctid >= '(8333,0)'::tid AND t.ctid < '(16666,0)'::tid");
        assertThat(slices.get(2).where()).isEqualTo(" WHERE t.ctid >= '(16666,0)'::tid");
        assertThat(BlockSlice.of(10_000, 8, true)).as("at least 4096 blocks a slice").hasSize(2);
    }
}
