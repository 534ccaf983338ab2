package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One source transaction far larger than the heap: runs in the {@code low-memory} failsafe execution
 * (-Xmx64m), so holding the transaction in memory would fail with OutOfMemoryError.
 */
class LowMemoryReplicationIT {
    private static final long ROWS = 3_000_000;

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards constant memory: a transaction is applied as it streams, never collected whole
    @Test
    void appliesAMultiMillionRowTransactionWithABoundedHeap() {
        // -Dit.test also runs it in the default execution, with a normal heap, where it proves nothing
        assumeTrue(Runtime.getRuntime().maxMemory() < 128L << 20, "runs in the low-memory execution only");
        String db = pg.newDatabase("bulk");
        // no index to maintain on either side: the test is about the stream, and runs faster without
        pg.source().execute(db, "CREATE TABLE reading (id bigint, v int)", "ALTER TABLE reading REPLICA IDENTITY FULL");
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(500)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();
            pg.source().execute(db, "INSERT INTO reading SELECT g, g % 1000 FROM generate_series(1, " + ROWS + ") g");
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> pg.target().queryLong(db, "SELECT count(*) FROM reading") == ROWS);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        String check = "SELECT count(*) || '/' || sum(id) || '/' || sum(v) FROM reading";
        assertThat(pg.target().queryValue(db, check)).isEqualTo(pg.source().queryValue(db, check));
    }
}
