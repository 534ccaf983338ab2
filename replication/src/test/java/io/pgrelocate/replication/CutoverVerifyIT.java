package io.pgrelocate.replication;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cutover compares the two sides before it reports success, and fails over a target that differs. */
class CutoverVerifyIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    // guards "completed means identical": an object only the target has must fail the cutover, fence lifted
    @Test
    void cutoverOverATargetWithADifferentSchemaFailsNamingTheObjectAndUnfencesTheSource() {
        String db = pg.newDatabase("cvschema");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text)",
                "INSERT INTO item SELECT g, 'v' || g FROM generate_series(1, 100) g");
        try (Migration m = builder(db).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.target().execute(db, "CREATE INDEX only_on_target ON item (v)");
            assertThatThrownBy(() -> handle.cutover(Duration.ofMinutes(2))).isInstanceOf(PgRelocateException.class);
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            assertThatThrownBy(() -> handle.await(Duration.ofSeconds(10))).isInstanceOf(PgRelocateException.class)
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.VERIFY_DIFFERENCES))
                    .hasMessageContaining("only_on_target").hasMessageContaining("extra on target");
        }
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d "
                + "ON d.oid = s.setdatabase WHERE d.datname = '" + db + "'")).as("source no longer fenced").isZero();
        pg.source().execute(db, "INSERT INTO item VALUES (101, 'writable again')");
        assertThat(pg.source().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = '"
                + db + "'")).as("slot kept to resume after the target is aligned").isEqualTo(1);
    }

    // guards cutoverVerify(true): rows that differ (written on the target behind the stream) fail the cutover
    @Test
    void cutoverWithDataVerificationFailsOnARowChangedOnTheTarget() {
        String db = pg.newDatabase("cvdata");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text)",
                "INSERT INTO item SELECT g, 'v' || g FROM generate_series(1, 100) g");
        try (Migration m = builder(db).cutoverVerify(true).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.target().execute(db, "UPDATE item SET v = 'changed' WHERE id = 7");
            assertThatThrownBy(() -> handle.cutover(Duration.ofMinutes(2))).isInstanceOf(PgRelocateException.class);
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            assertThatThrownBy(() -> handle.await(Duration.ofSeconds(10)))
                    .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.VERIFY_DIFFERENCES))
                    .hasMessageContaining("public.item").hasMessageContaining("content differs");
        }
    }

    // guards the normal path: a cutover with data verification over an identical target completes
    @Test
    void cutoverWithDataVerificationCompletesWhenBothSidesMatch() {
        String db = pg.newDatabase("cvsame");
        pg.source().execute(db, "CREATE TABLE item (id int PRIMARY KEY, v text)",
                "INSERT INTO item SELECT g, 'v' || g FROM generate_series(1, 100) g");
        try (Migration m = builder(db).cutoverVerify(true).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            pg.source().execute(db, "UPDATE item SET v = 'streamed' WHERE id = 7");
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        assertThat(pg.target().queryValue(db, "SELECT v FROM item WHERE id = 7")).isEqualTo("streamed");
    }

    private MigrationBuilder builder(String db) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200));
    }
}
