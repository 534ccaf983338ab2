package io.pgrelocate.replication.internal;

/**
 * The bytes of row values one apply holds between taking a change from the stream and the statement that writes it
 * executing: its collapse buffer ({@link RetainedChanges}, which {@link NetChanges} shares), its JDBC batches
 * ({@link StatementCache}, multi-row statements included) and the rows an insert run keeps before its COPY starts
 * ({@link InsertStream}). One budget for all of them, so a transaction of any row count and width holds at most
 * {@link #BUDGET} however its changes are spread across them: a batch counts rows for round trips, this counts bytes
 * for the heap. Each holder releases what it held when it sends or drops it; a holder that finds the budget spent
 * sends what it holds (or stops holding more), which only ever makes batches smaller, never changes their order.
 * Not thread-safe: the apply thread's.
 */
final class HeapBudget {
    /**
     * Everything held at once. Beside it the heap holds the stream's in-flight queue (16 MB of messages), the
     * message being read (8 MB at most, decoded to as much again) and pgjdbc's copy of a batch being sent: well
     * inside 256 MB. Rows of a few kB still fill batches of hundreds.
     */
    static final long BUDGET = 32L << 20;
    /** The collapse buffer's part: the rest is left for the statements its replay queues. */
    static final long COLLAPSE_BYTES = BUDGET / 2;
    /** One multi-row statement's part: its arrays are a copy of its rows' values. */
    static final long STATEMENT_BYTES = BUDGET / 4;
    /** What a value costs beyond its bytes: the array or String, its slot in the row. */
    private static final int VALUE_OVERHEAD = 48;

    private long held;

    void hold(long bytes) {
        held += bytes;
    }

    void release(long bytes) {
        held = Math.max(0, held - bytes);
    }

    /** Whether what is held has reached the budget: the holder that asks sends what it holds. */
    boolean spent() {
        return held >= BUDGET;
    }

    long held() {
        return held;
    }

    /** The heap {@code t}'s values take as received (a value in a file takes none). */
    static long of(PgOutputMessage.Tuple t) {
        return 32 + (long) VALUE_OVERHEAD * t.size() + t.inMemoryBytes();
    }

    /**
     * What binding a value of {@code length} bytes holds until its batch is sent: the String bound, and the bytes
     * pgjdbc encodes it to when it sends the batch (it keeps them until the batch is done).
     */
    static long bound(int length) {
        return VALUE_OVERHEAD + 2L * length;
    }
}
