package io.pgrelocate.replication.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

// guards the apply's one heap budget: the collapse buffer holds in it, within its part, and gives it back
class HeapBudgetTest {
    private static PgOutputMessage.Insert row(int bytes) {
        return new PgOutputMessage.Insert(1, new PgOutputMessage.Tuple(new byte[][] {new byte[bytes]}, new boolean[1]));
    }

    @Test
    void theCollapseBufferKeepsRowsUntilItsPartOfTheBudgetAndReleasesThemWhenCleared() {
        HeapBudget heap = new HeapBudget();
        RetainedChanges retained = new RetainedChanges(heap);
        int kept = 0;
        while (retained.add(row(3 << 20))) {
            kept++;
        }
        assertThat(kept).as("3 MB rows within %d bytes", HeapBudget.COLLAPSE_BYTES).isEqualTo(5);
        assertThat(heap.held()).isBetween(15L << 20, HeapBudget.COLLAPSE_BYTES);
        assertThat(retained.nearlyFull()).isTrue();
        assertThat(heap.spent()).as("the rest is left for the statements").isFalse();
        retained.clear();
        assertThat(heap.held()).isZero();
        assertThat(retained.add(row(3 << 20))).isTrue();
    }

    @Test
    void aBoundValueCountsItsStringAndItsEncodingAndTheBudgetIsSpentAtItsSize() {
        PgOutputMessage.Tuple inMemory = new PgOutputMessage.Tuple(new byte[][] {new byte[1000]}, new boolean[1]);
        assertThat(HeapBudget.of(inMemory)).isGreaterThanOrEqualTo(1000);
        assertThat(HeapBudget.bound(1000)).isGreaterThanOrEqualTo(2000);
        HeapBudget heap = new HeapBudget();
        heap.hold(HeapBudget.BUDGET - 1);
        assertThat(heap.spent()).isFalse();
        heap.hold(1);
        assertThat(heap.spent()).isTrue();
        heap.release(HeapBudget.BUDGET);
        assertThat(heap.held()).isZero();
    }
}
