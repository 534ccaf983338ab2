package io.pgrelocate.dump;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.FaultProxy;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The COPY relay (rows read off the source's protocol stream, sent on in batches): rows bigger than a batch, a
 * target that rejects a row halfway, a source connection lost halfway.
 */
class CopyRelayIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards the batching: values of several MB span many 64 kB batches, in binary and in text COPY (aclitem has
    // no binary I/O), and arrive whole, between small rows and the rows around them
    @Test
    void rowsOfSeveralMegabytesArriveWhole() {
        String db = pg.newDatabase("bigvalues");
        pg.source().execute(db, "CREATE TABLE bin (id int PRIMARY KEY, b bytea, t text)",
                "INSERT INTO bin SELECT g, decode(repeat(md5(g::text), CASE WHEN g % 50 = 0 THEN 200000 ELSE 1 END),"
                        + " 'hex'), repeat(md5((-g)::text), CASE WHEN g % 70 = 0 THEN 100000 ELSE 2 END)"
                        + " FROM generate_series(1, 400) g",
                "CREATE TABLE txt (id int PRIMARY KEY, a aclitem, t text)",
                "INSERT INTO txt SELECT g, 'postgres=r/postgres', repeat(md5(g::text), CASE WHEN g % 30 = 0 "
                        + "THEN 150000 ELSE 1 END) FROM generate_series(1, 100) g");
        assertThat(pg.source().queryLong(db, "SELECT max(length(b)) FROM bin")).as("a value of 3.2 MB")
                .isEqualTo(3_200_000);
        try (Migration m = builder(pg.source().endpoint("postgres"), db, pg.migrationId()).build()) {
            assertThat(m.start().await(Duration.ofMinutes(3))).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryLong(db, "SELECT sum(length(t)) FROM txt"))
                .isEqualTo(pg.source().queryLong(db, "SELECT sum(length(t)) FROM txt"));
    }

    // guards the target's errors: a row the target rejects halfway through the relay fails the table, its rows
    // rolled back, the run FAILED with the target's message
    @Test
    void aRowTheTargetRejectsMidCopyFailsTheTable() {
        String db = pg.newDatabase("rejected");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 200000) g");
        String id = pg.migrationId();
        // the pre-data has made the target's table when the copy starts: a check only the target has
        MigrationListener reject = MigrationListener.of(e -> {
            if (e instanceof MigrationEvent.PhaseStarted p && p.database().equals(db) && p.phase() == Phase.COPYING) {
                pg.target().execute(db, "ALTER TABLE t ADD CONSTRAINT no_150000 CHECK (id <> 150000)");
            }
        });
        try (Migration m = builder(pg.source().endpoint("postgres"), db, id).keepState(true).listener(reject)
                .build()) {
            MigrationHandle handle = m.start();
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(2))).isInstanceOf(PgRelocateException.class)
                    .hasMessageContaining("no_150000");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM t")).as("the table's rows rolled back").isZero();
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            DatabaseStatus status = control.status(id).orElseThrow().database(db).orElseThrow();
            assertThat(status.phase()).isEqualTo(Phase.FAILED);
            assertThat(status.error()).contains("no_150000");
        }
    }

    // guards a lost source: the relay's read failing halfway through a row ends the run FAILED with its state,
    // and the same migration resumed copies everything
    @Test
    void aSourceConnectionCutMidCopyEndsFailedAndResumes() {
        String db = pg.newDatabase("cut");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 60000) g");
        String id = pg.migrationId();
        AtomicLong rows = new AtomicLong();
        MigrationListener progress = MigrationListener.of(e -> {
            if (e instanceof MigrationEvent.TableCopyProgress p && p.database().equals(db)) {
                rows.set(p.rows());
            }
        });
        try (FaultProxy proxy = FaultProxy.start(pg.source().port())) {
            proxy.throttle(1024 * 1024);
            Endpoint viaProxy = Endpoint.of("127.0.0.1", proxy.port(), "postgres", PostgresServer.SUPERUSER,
                    PostgresServer.PASSWORD).withoutSsl();
            try (Migration m = builder(viaProxy, db, id).keepState(true).listener(progress).build()) {
                MigrationHandle handle = m.start();
                await().atMost(Duration.ofMinutes(1)).until(() -> rows.get() > 0);
                proxy.cut();
                assertThatThrownBy(() -> handle.await(Duration.ofMinutes(2))).isInstanceOf(PgRelocateException.class);
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            }
            assertThat(pg.target().queryLong(db, "SELECT count(*) FROM t")).as("nothing half copied").isZero();
            try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                assertThat(control.status(id).orElseThrow().database(db).orElseThrow().phase())
                        .isEqualTo(Phase.FAILED);
            }
            proxy.throttle(0);
            try (Migration m = builder(viaProxy, db, id).build()) {
                assertThat(m.start().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.COMPLETED);
            }
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }

    private static MigrationBuilder builder(Endpoint source, String db, String id) {
        return Migration.builder().source(source).target(pg.target().endpoint("postgres")).mode(Mode.DUMP)
                .databases(db).migrationId(id);
    }
}
