package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs in its own failsafe execution with a 64 MB heap (see dump/pom.xml): a table several times larger
 * than the heap must stream through in constant memory.
 */
class LowMemoryDumpIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void copiesATableLargerThanTheHeap() {
        String db = pg.newDatabase("huge");
        pg.source().execute(db, "CREATE TABLE big (id bigint PRIMARY KEY, payload text, blob bytea)",
                "INSERT INTO big SELECT g, repeat(md5(g::text), 3), decode(md5(g::text) || md5((g + 1)::text), 'hex') "
                        + "FROM generate_series(1, 1200000) g");
        long tableBytes = pg.source().queryLong(db, "SELECT pg_table_size('big')");
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(tableBytes).as("table size against max heap %d", heap).isGreaterThan(2 * heap);

        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).jobs(2)
                .migrationId(pg.migrationId()).build()) {
            assertThat(m.start().await(Duration.ofMinutes(10))).isEqualTo(MigrationState.COMPLETED);
        }

        DataCompare.assertSameData(pg.source(), pg.target(), db);
        // verify checksums on the servers: the same table must not need the JVM's memory either
        VerifyResult verified = Verifier.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).databases(db).build().verify();
        assertThat(verified.differences()).as(verified.toText()).isEmpty();
        assertThat(verified.rowsCompared()).isEqualTo(1_200_000);
    }
}
