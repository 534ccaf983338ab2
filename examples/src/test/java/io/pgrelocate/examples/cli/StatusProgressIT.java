package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.FaultProxy;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.pgrelocate.examples.cli.CliIT.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code status} of a copy that is still running, read from another process's state: share, rate and ETA. */
class StatusProgressIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards issue 14: status had no copy progress or ETA (the state held no estimate to measure against)
    @Test
    void aRunningCopyReadsAsItsShareOfTheEstimateWithRateAndEta() {
        String db = pg.newDatabase("eta");
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 30000) g", "ANALYZE t");
        String id = pg.migrationId();
        String schema = "st_" + id;
        String target = pg.target().uri("postgres");
        // a slow link to the source: about 4 MB at 256 kB/s keeps the copy running for some 15 s
        try (FaultProxy slow = FaultProxy.start(pg.source().port())) {
            slow.throttle(256 * 1024);
            String source = "postgresql://" + PostgresServer.SUPERUSER + ":" + PostgresServer.PASSWORD
                    + "@127.0.0.1:" + slow.port() + "/postgres?sslmode=disable";
            CompletableFuture<CliIT.Run> run = CompletableFuture.supplyAsync(() -> cli("migrate", "--source", source,
                    "--target", target, "--mode", "dump", "--database", db, "--id", id, "--state-schema", schema));

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                CliIT.Run status = cli("status", "--target", target, "--state-schema", schema);
                CliIT.Run json = cli("status", "--target", target, "--state-schema", schema, "--json");
                assertThat(status.out()).as("one read of the state gives share, rate and ETA")
                        .containsPattern(db + " +COPYING +0/1 tables, [0-9,]+ rows, [0-9.]+ [kM]B, \\d+% of "
                                + "~[0-9.]+ MB, copying [0-9.]+ [kM]B/s, ETA \\d+:\\d\\d");
                assertThat(json.out()).containsPattern("\"copyPercent\":[0-9.]+,\"copyBytesPerSecond\":[0-9.]+,"
                        + "\"copyEtaSeconds\":\\d+").containsPattern("\"bytesPlanned\":[1-9]\\d{5,}");
                assertThat(status.exit()).isZero();
            });
            slow.throttle(0);
            CliIT.Run done = run.join();
            assertThat(done.exit()).as(done.err()).isZero();
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }
}
