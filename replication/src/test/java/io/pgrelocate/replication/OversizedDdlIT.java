package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A captured schema change whose text is over the 64 MB the replay holds in memory, from a real source: the text
 * arrives through the stream's spill file (a message over 8 MB, a value over 1 MB) and is refused there.
 */
class OversizedDdlIT {
    /** Just over the cap (64 MB): the smallest statement that must be refused. */
    private static final int LITERAL_CHARS = 65 << 20;

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards the 64 MB cap on replayed DDL end to end: the database stops naming the size, state and slot kept
    @Test
    void aSchemaChangeOverSixtyFourMegabytesStopsTheDatabaseNamingItsSizeWithItsStateKept() {
        String db = pg.newDatabase("hugeddl");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY)", "INSERT INTO item VALUES (1)");
        String id = pg.migrationId();
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db).migrationId(id)
                .statusInterval(Duration.ofMillis(200)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            // a comment is plain DDL the replay would run; only its size stops it
            pg.source().execute(db, "INSERT INTO item VALUES (2)",
                    "COMMENT ON TABLE item IS '" + "x".repeat(LITERAL_CHARS) + "'", "INSERT INTO item VALUES (3)");
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(3))).isInstanceOf(PgRelocateException.class)
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                    .hasMessageContaining("COMMENT ON TABLE item IS 'xxx")
                    .hasMessageContaining("its text is 65 MB, more than the 64 MB")
                    .hasMessageContaining("source LSN");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            assertThat(handle.status().database(db).orElseThrow().phase()).isEqualTo(Phase.FAILED);
        }
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            assertThat(control.status(id).map(MigrationStatus::state)).as("state kept").contains(MigrationState.FAILED);
        }
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = '"
                + db + "'")).as("slot kept for a resume").isEqualTo(1);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM item")).as("before it applied, after it not")
                .isEqualTo(2);
        assertThat(pg.target().queryValue(db, "SELECT obj_description('item'::regclass, 'pg_class')")).isNull();
    }
}
