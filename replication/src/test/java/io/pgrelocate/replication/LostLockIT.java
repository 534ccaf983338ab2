package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The migration's lock, taken by another process while the control loop reconnects. */
class LostLockIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 16);

    // guards against two processes applying one stream: after a reconnect, a lock held elsewhere once only
    // earned a warning
    @Test
    void aLockTakenByAnotherProcessAfterAReconnectEndsTheRunFailedWithItsSlotKept() throws Exception {
        String db = pg.newDatabase("locked");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 100)");
        String id = pg.migrationId();
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db).migrationId(id)
                .statusInterval(Duration.ofSeconds(1)).build();
             Connection other = pg.target().connect("postgres")) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();
            int statePid = (int) pg.target().queryLong("postgres", "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a "
                    + "USING (pid) WHERE l.locktype = 'advisory' AND a.application_name = 'pgrelocate/state'");
            try (Statement st = other.createStatement()) {
                st.execute("SELECT pg_terminate_backend(" + statePid + ")");
            }
            // waits for the terminated session to let go of the lock, then holds it as a second process would
            try (PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                ps.setString(1, "pgrelocate/pgrelocate/" + id);
                ps.execute();
            }
            assertThatThrownBy(() -> handle.await(Duration.ofSeconds(30))).isInstanceOf(PgRelocateException.class)
                    .hasMessageContaining("another process");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = '"
                + db + "'")).as("slot kept for whichever process goes on").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> pg.source().queryLong("postgres",
                "SELECT count(*) FROM pg_stat_replication WHERE application_name LIKE 'pgrelocate/%'") == 0);
    }
}
