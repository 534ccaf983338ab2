package io.pgrelocate.dump;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping a dump migration, by request or at its maximum duration, and resuming it. */
class StopAndResumeIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    private String[] twoDatabases() {
        String first = pg.newDatabase("first");
        String second = pg.newDatabase("second");
        for (String db : List.of(first, second)) {
            pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g");
        }
        return new String[] {first, second};
    }

    /** Calls {@code action} with the handle when the second database starts copying. */
    private static MigrationListener onSecondDatabaseCopying(String second, AtomicReference<MigrationHandle> handle,
                                                             java.util.function.Consumer<MigrationHandle> action) {
        return MigrationListener.of(e -> {
            if (e instanceof MigrationEvent.PhaseStarted p && p.database().equals(second) && p.phase() == Phase.COPYING) {
                await().atMost(Duration.ofSeconds(30)).until(() -> handle.get() != null);
                action.accept(handle.get());
            }
        });
    }

    @Test
    void aStopKeepsWhatWasCopiedAndEndsStopped() {
        String[] dbs = twoDatabases();
        AtomicReference<MigrationHandle> handle = new AtomicReference<>();
        try (Migration m = builder(dbs).listener(onSecondDatabaseCopying(dbs[1], handle, MigrationHandle::requestStop))
                .build()) {
            handle.set(m.start());
            assertThat(handle.get().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.STOPPED);
            assertThat(handle.get().status().database(dbs[1]).orElseThrow().phase()).isEqualTo(Phase.STOPPED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), dbs[0]);
        assertThat(pg.target().queryLong(dbs[1], "SELECT count(*) FROM t")).isZero();
    }

    @Test
    void stopsByItselfAtItsMaximumDuration() {
        String[] dbs = twoDatabases();
        AtomicReference<MigrationHandle> handle = new AtomicReference<>();
        // the control loop requests the stop at its first tick; the second database waits to see it
        MigrationListener waitForDeadline = onSecondDatabaseCopying(dbs[1], handle, h -> await()
                .atMost(Duration.ofSeconds(30)).until(() -> "stop".equals(h.status().requestedAction())));
        List<MigrationEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Migration m = builder(dbs).maxDuration(Duration.ofMillis(1)).listener(waitForDeadline)
                .listener(MigrationListener.of(events::add)).build()) {
            handle.set(m.start());
            assertThat(handle.get().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.STOPPED);
        }
        assertThat(events).filteredOn(e -> e instanceof MigrationEvent.MigrationStopped).singleElement()
                .extracting(e -> ((MigrationEvent.MigrationStopped) e).reason()).asString()
                .contains("maximum duration");
    }

    @Test
    void resumingCopiesOnlyWhatTheInterruptedRunLeftUnfinished() {
        String[] dbs = twoDatabases();
        String id = pg.migrationId();
        AtomicReference<MigrationHandle> handle = new AtomicReference<>();
        try (Migration m = builder(dbs).migrationId(id).keepState(true)
                .listener(onSecondDatabaseCopying(dbs[1], handle, MigrationHandle::requestStop)).build()) {
            handle.set(m.start());
            assertThat(handle.get().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.STOPPED);
        }
        // a marker on the finished database shows whether the resumed run copies it again
        pg.target().execute(dbs[0], "CREATE TABLE marker (x int)");
        pg.source().execute(dbs[1], "INSERT INTO t VALUES (-1, 'added while stopped')");

        try (Migration m = builder(dbs).migrationId(id).build()) {
            assertThat(m.start().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.COMPLETED);
        }
        assertThat(pg.target().queryValue(dbs[0], "SELECT to_regclass('marker')")).isEqualTo("marker");
        DataCompare.assertSameData(pg.source(), pg.target(), dbs[1]);
    }

    // guards issue 14: the copy estimates and earlier readings were added to the state tables; a run stopped under
    // the state schema of an earlier build must still read in status and resume
    @Test
    void aRunStoppedUnderAnOlderStateSchemaReadsAndResumes() {
        String[] dbs = twoDatabases();
        String id = pg.migrationId();
        String schema = "st_" + id;
        AtomicReference<MigrationHandle> handle = new AtomicReference<>();
        try (Migration m = builder(dbs).migrationId(id).stateSchema(schema).keepState(true)
                .listener(onSecondDatabaseCopying(dbs[1], handle, MigrationHandle::requestStop)).build()) {
            handle.set(m.start());
            assertThat(handle.get().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.STOPPED);
        }
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"), schema)) {
            assertThat(control.status(id).orElseThrow().database(dbs[1]).orElseThrow().bytesPlanned())
                    .as("the copy's estimate is kept in the state").isPositive();
        }
        pg.target().execute("postgres", "ALTER TABLE " + schema + ".database_status DROP COLUMN rows_planned, "
                + "DROP COLUMN bytes_planned, DROP COLUMN earlier_at, DROP COLUMN earlier_bytes_copied, "
                + "DROP COLUMN earlier_lag_bytes");

        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"), schema)) {
            DatabaseStatus old = control.status(id).orElseThrow().database(dbs[1]).orElseThrow();
            assertThat(old.phase()).isEqualTo(Phase.STOPPED);
            assertThat(old.bytesPlanned()).isEqualTo(-1);
            assertThat(old.earlier()).isNull();
        }
        try (Migration m = builder(dbs).migrationId(id).stateSchema(schema).keepState(true).build()) {
            assertThat(m.start().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), dbs[0]);
        DataCompare.assertSameData(pg.source(), pg.target(), dbs[1]);
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"), schema)) {
            assertThat(control.status(id).orElseThrow().database(dbs[1]).orElseThrow().bytesPlanned())
                    .as("the resumed run added the columns back and filled them").isPositive();
        }
    }

    private io.pgrelocate.core.MigrationBuilder builder(String[] dbs) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(Mode.DUMP).databases(dbs).migrationId(pg.migrationId());
    }
}
