package io.pgrelocate.dump.internal;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failure in a post-data worker that is not an SQLException must still fail the run. */
class PostDataFailureIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @AfterEach
    void removeFault() {
        DdlRunner.faultInjection = null;
    }

    // guards DdlRunner's workers: a RuntimeException in an index build once died with its thread, and the run
    // ended COMPLETED without the index
    @Test
    void aRuntimeExceptionInAnIndexBuildEndsTheRunFailed() {
        String db = pg.newDatabase("postdata");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text, w text)",
                "CREATE INDEX t_v ON t (v)", "CREATE INDEX t_w ON t (w)",
                "INSERT INTO t SELECT g, md5(g::text), md5((g + 1)::text) FROM generate_series(1, 1000) g");
        String id = pg.migrationId();
        DdlRunner.faultInjection = ddl -> {
            if (ddl.sql().contains("t_v")) {
                throw new IllegalStateException("injected failure building " + ddl.object());
            }
        };
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).jobs(2)
                .migrationId(id).build()) {
            MigrationHandle handle = m.start();
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(2))).isInstanceOf(PgRelocateException.class)
                    .hasMessageContaining("injected failure");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            assertThat(control.status(id).map(MigrationStatus::state)).as("state kept")
                    .contains(MigrationState.FAILED);
        }
    }
}
