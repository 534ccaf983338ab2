package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.Workload;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A concurrent workload through the copy and the stream, then cutover: source and target must be equal. */
final class WorkloadScenario {
    private WorkloadScenario() {
    }

    static void run(PgPairExtension pg) {
        String db = pg.newDatabase("busy");
        Workload.createSchema(pg.source(), db);
        try (Workload workload = Workload.start(pg.source(), db, 3);
             Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                     .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db).jobs(2)
                     .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).as("caught up").isTrue();
            long before = workload.committed();
            await().atMost(Duration.ofMinutes(2)).until(() -> workload.committed() > before + 300);
            workload.close();
            assertThat(workload.committed()).as("transactions written during the migration").isGreaterThan(300);
            handle.cutover(Duration.ofMinutes(3));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }
}
