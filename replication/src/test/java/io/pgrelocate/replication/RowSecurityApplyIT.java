package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.RoleSelection;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.TestRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A target apply role without superuser or BYPASSRLS, granted SET on session_replication_role (15+), so the
 * apply collapses insert runs: into a table whose row security applies to that role, COPY FROM is refused
 * (0A000), and the run must take the INSERT path for it instead of failing.
 */
class RowSecurityApplyIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(15, 15);

    // guards a collapsed insert run into a row-security table under a non-superuser apply role: it used to end FAILED
    @Test
    void insertRunsIntoARowSecurityTableArriveUnderANonSuperuserApplyRole() {
        String db = pg.newDatabase("rls");
        pg.source().execute(db, "CREATE TABLE secure (id int PRIMARY KEY, v text)",
                // FORCE: row security applies to the table's owner too, which the apply role is on the target
                "ALTER TABLE secure ENABLE ROW LEVEL SECURITY", "ALTER TABLE secure FORCE ROW LEVEL SECURITY",
                "CREATE POLICY everyone ON secure USING (true) WITH CHECK (true)",
                "CREATE TABLE open (id int PRIMARY KEY, v text)",
                "INSERT INTO secure SELECT g, 's' || g FROM generate_series(1, 5) g");
        try (TestRole apply = TestRole.create(pg.target(), "apply", "CREATEDB")) {
            pg.target().execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + apply.quoted(),
                    "GRANT SET ON PARAMETER session_replication_role TO " + apply.quoted());
            try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(apply.endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                    .migrationId(pg.migrationId()).roles(RoleSelection.NONE).acceptWarnings(true)
                    .statusInterval(Duration.ofMillis(200)).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                assertThat(pg.target().queryValue(db, "SELECT relforcerowsecurity FROM pg_class WHERE relname = "
                        + "'secure'")).as("row security forced on the target as on the source").isEqualTo("true");
                ApplyProbe.install(pg.target(), db, "secure", "open");
                pg.source().execute(db, "BEGIN; INSERT INTO secure SELECT g, 'run' || g FROM generate_series(10, 49) g; "
                        + "INSERT INTO open SELECT g, 'o' || g FROM generate_series(1, 40) g; COMMIT");
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .failFast("the run failed", () -> handle.state() == MigrationState.FAILED).until(() ->
                        pg.target().queryLong(db, "SELECT count(*) FROM secure") == 45
                                && pg.target().queryLong(db, "SELECT count(*) FROM open") == 40);
                assertThat(handle.state()).isEqualTo(MigrationState.RUNNING);
                assertThat(ApplyProbe.statements(pg.target(), db, "secure")).as("row security: INSERT, never COPY")
                        .containsExactly("INSERT");
                assertThat(ApplyProbe.statements(pg.target(), db, "open"))
                        .as("the same run into a table without row security: COPY (collapsing was on)")
                        .containsExactly("COPY");
                ApplyProbe.remove(pg.target(), db);
                handle.cutover(Duration.ofMinutes(2));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }
            DataCompare.assertSameData(pg.source(), pg.target(), db);
        }
    }
}
