package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A partitioned table without a key is published through its root, but the source checks each partition's
 * own replica identity when a row changes: both must be covered, or UPDATE and DELETE fail on the source. A
 * plain keyless table (no partition tree at all) must be found by the same check.
 */
class KeylessPartitionsIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    private static final String[] SCHEMA = {
        "CREATE TABLE reading (at date NOT NULL, sensor int, v numeric) PARTITION BY RANGE (at)",
        "CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "CREATE TABLE reading_rest PARTITION OF reading DEFAULT",
        "INSERT INTO reading SELECT date '2025-01-01' + g % 700, g % 7, g FROM generate_series(1, 2000) g",
        "CREATE TABLE audit (sensor int, note text)",
        "INSERT INTO audit SELECT g % 7, 'n' || g FROM generate_series(1, 100) g"};

    @Test
    void areRefusedWithoutConsentAndTheSourceKeepsAcceptingUpdates() {
        String db = pg.newDatabase("parts");
        pg.source().execute(db, SCHEMA);

        try (Migration m = builder(db, false).build()) {
            MigrationHandle handle = m.start();
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(1))).isInstanceOf(PgRelocateException.class)
                    .hasMessageContaining("reading_2025").hasMessageContaining("audit")
                    .hasMessageContaining("REPLICA IDENTITY");
        }
        pg.source().execute(db, "UPDATE reading SET v = v + 1 WHERE sensor = 1", "DELETE FROM reading WHERE sensor = 2",
                "UPDATE audit SET note = 'x' WHERE sensor = 1", "DELETE FROM audit WHERE sensor = 2");
        assertThat(pg.source().queryColumn(db, "SELECT pubname FROM pg_publication")).isEmpty();
    }

    @Test
    void withConsentGetFullIdentityOnRootAndPartitionsAndReplicateUpdatesAndDeletes() {
        String db = pg.newDatabase("parts");
        pg.source().execute(db, SCHEMA);

        try (Migration m = builder(db, true).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "UPDATE reading SET v = -v WHERE sensor = 1",
                    "UPDATE reading SET at = date '2026-06-01' WHERE sensor = 3 AND at < '2026-01-01'",
                    "DELETE FROM reading WHERE sensor = 2", "UPDATE audit SET note = 'x' WHERE sensor = 1",
                    "DELETE FROM audit WHERE sensor = 2");
            await().atMost(Duration.ofMinutes(1)).until(() ->
                    pg.target().queryLong(db, "SELECT count(*) FROM reading WHERE sensor = 2") == 0
                    && pg.target().queryLong(db, "SELECT count(*) FROM audit WHERE sensor = 2") == 0);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }

        assertThat(pg.source().queryColumn(db, "SELECT relname || ' ' || relreplident::text FROM pg_class "
                + "WHERE (relname LIKE 'reading%' OR relname = 'audit') AND relkind IN ('r', 'p') ORDER BY 1"))
                .containsExactly("audit f", "reading f", "reading_2025 f", "reading_rest f");
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM reading_rest WHERE sensor = 3"))
                .isEqualTo(pg.source().queryLong(db, "SELECT count(*) FROM reading_rest WHERE sensor = 3"));
    }

    private static io.pgrelocate.core.MigrationBuilder builder(String db, boolean setFull) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).setReplicaIdentityFull(setFull).migrationId(pg.migrationId())
                .statusInterval(Duration.ofMillis(200));
    }
}
