package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an application embedding the library relies on: totals up front, its own threads, an honest end. */
class LibraryLifecycleIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards: MigrationStarted carried no totals, so a progress bar had no denominator
    @Test
    void startedEventCarriesTotalsThatTheProgressEventsAddUpToOnTheCallersThreads() {
        String db = pg.newDatabase("totals");
        pg.source().execute(db, "CREATE TABLE big (id int PRIMARY KEY, v text)",
                "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 30000) g",
                "CREATE TABLE small (id int PRIMARY KEY)", "INSERT INTO small SELECT generate_series(1, 700)",
                // VACUUM, not only ANALYZE: it makes the free space and visibility maps the sizes include, which
                // autovacuum would otherwise make between the run's two reads of them (a page apart, a flaky test)
                "VACUUM ANALYZE");
        List<MigrationEvent> events = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger made = new AtomicInteger();
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).migrationId(pg.migrationId())
                .threadFactory(r -> new Thread(r, "app-pool-" + made.incrementAndGet()))
                .listener(MigrationListener.of(e -> {
                    events.add(e);
                    threads.add(Thread.currentThread().getName());
                })).build()) {
            assertThat(m.start().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.COMPLETED);
        }
        MigrationEvent.MigrationStarted started = events.stream().filter(MigrationEvent.MigrationStarted.class::isInstance)
                .map(MigrationEvent.MigrationStarted.class::cast).findFirst().orElseThrow();
        List<MigrationEvent.TableCopyProgress> done = events.stream()
                .filter(MigrationEvent.TableCopyProgress.class::isInstance).map(MigrationEvent.TableCopyProgress.class::cast)
                .filter(MigrationEvent.TableCopyProgress::done).toList();
        assertThat(started.totals()).singleElement().satisfies(t -> {
            assertThat(t.database()).isEqualTo(db);
            assertThat(t.tables()).isEqualTo(2).isEqualTo(done.size());
            assertThat(t.estimatedRows()).as("analysed: the estimate is the count the copy reaches")
                    .isEqualTo(30700).isEqualTo(done.stream().mapToLong(MigrationEvent.TableCopyProgress::rows).sum());
            assertThat(t.estimatedBytes()).as("the same unit as each table's estimate")
                    .isEqualTo(done.stream().mapToLong(MigrationEvent.TableCopyProgress::estimatedBytes).sum());
        });
        assertThat(started.totalTables()).isEqualTo(2);
        assertThat(made.get()).as("the run's threads came from the caller's factory").isPositive();
        assertThat(threads).as("every event was told on a thread the caller made")
                .allMatch(name -> name.startsWith("app-pool-"));
    }

    // guards: a JVM exiting mid-copy used to leave a RUNNING row behind, and said nothing
    @Test
    void aJvmExitingMidRunStopsTheRunAndRecordsStopped() throws Exception {
        String[] dbs = twoDatabases();
        String id = pg.migrationId();
        Process child = ExitingChild.start(pg.source(), pg.target(), log(id), "exit", id, dbs[0], dbs[1]);
        assertThat(child.waitFor(ExitingChild.timeout().toSeconds(), TimeUnit.SECONDS)).isTrue();
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            MigrationStatus s = control.status(id).orElseThrow();
            assertThat(s.state()).as("recorded by the shutdown hook").isEqualTo(MigrationState.STOPPED);
        }
    }

    // guards: a killed process's row said RUNNING for ever
    @Test
    void aKilledProcessIsReportedInterruptedAndResumableNeverRunning() throws Exception {
        String[] dbs = twoDatabases();
        String id = pg.migrationId();
        Process child = ExitingChild.start(pg.source(), pg.target(), log(id), "halt", id, dbs[0], dbs[1]);
        assertThat(child.waitFor(ExitingChild.timeout().toSeconds(), TimeUnit.SECONDS)).isTrue();
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                MigrationStatus s = control.status(id).orElseThrow();
                assertThat(s.state()).as("no process holds it: interrupted, not running")
                        .isEqualTo(MigrationState.INTERRUPTED);
            });
        }
        try (Migration resumed = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).migrationId(id).databases(dbs).build()) {
            assertThat(resumed.start().await(Duration.ofMinutes(2))).isEqualTo(MigrationState.COMPLETED);
        }
        io.pgrelocate.testkit.DataCompare.assertSameData(pg.source(), pg.target(), dbs[1]);
    }

    private String[] twoDatabases() {
        String first = pg.newDatabase("first");
        String second = pg.newDatabase("second");
        for (String db : List.of(first, second)) {
            pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
        }
        return new String[] {first, second};
    }

    private static Path log(String id) {
        return Path.of(System.getProperty("pgrelocate.testkit.work", System.getProperty("java.io.tmpdir")),
                "child-" + id + ".log");
    }
}
