package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Schema changes on the source mid-stream, under load, are replayed on the target in commit order. */
class DdlReplicationIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards issue 9: every DDL kind the issue lists ends identical on the target, rows neither lost nor doubled
    @Test
    void schemaChangesUnderLoadAreReplayedAndTheTargetEndsIdentical() {
        String db = pg.newDatabase("ddl");
        Workload.createSchema(pg.source(), db);
        DdlScenario.createSchema(pg.source(), db);
        try (Workload workload = Workload.start(pg.source(), db, 2); Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
            DdlScenario.firstHalf(pg.source(), db);
            long before = workload.committed();
            await().atMost(Duration.ofMinutes(1)).until(() -> workload.committed() > before + 100);
            DdlScenario.secondHalf(pg.source(), db);
            await().atMost(Duration.ofMinutes(2)).until(() -> pg.target().queryLong(db,
                    "SELECT count(*) FROM pg_tables WHERE tablename = 'newt2'") == 1
                    && pg.target().queryLong(db, "SELECT count(*) FROM newt2") == DdlScenario.NEWT_ROWS);
            workload.close();
            handle.cutover(Duration.ofMinutes(3));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        assertIdentical(db);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM newt2")).isEqualTo(DdlScenario.NEWT_ROWS);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM measure")).isEqualTo(1000 + 500 + 100 + 100);
        assertThat(pg.target().queryValue(db, "SELECT note FROM item WHERE id = 1003")).isEqualTo("v2");
        assertThat(pg.target().queryLong(db, "SELECT n FROM item WHERE id = 1002")).isEqualTo(9_000_000_000L);
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_event_trigger")).as("capture removed").isZero();
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgrelocate'"))
                .as("capture schema removed").isZero();
    }

    private void assertIdentical(String db) {
        VerifyResult result = Verifier.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).databases(db).build().verify();
        assertThat(result.differences()).as("verify: schema and rows").isEmpty();
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }

    private MigrationBuilder builder(String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).jobs(2).migrationId(pg.migrationId()).cutoverVerify(true)
                .statusInterval(Duration.ofMillis(200));
    }
}
