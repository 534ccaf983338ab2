package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code cutover --verify} over a target that differs: both commands exit non-zero, naming the difference. */
class CutoverCliIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards issue 9: a cutover over a diverged target never exits 0
    @Test
    void cutoverWithVerifyOverADivergedTargetExitsNonZero() throws Exception {
        String db = pg.newDatabase("clicut");
        String id = pg.migrationId();
        pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g");
        CompletableFuture<CliIT.Run> migrate = CompletableFuture.supplyAsync(() -> CliIT.cli("migrate", "--source",
                pg.source().uri("postgres"), "--target", pg.target().uri("postgres"), "--mode", "continuous",
                "--database", db, "--id", id));
        Endpoint target = pg.target().endpoint("postgres");
        await().atMost(Duration.ofMinutes(2)).until(() -> caughtUp(target, id));
        pg.target().execute(db, "UPDATE t SET v = 'written on the target' WHERE id = 5");

        CliIT.Run cutover = CliIT.cli("cutover", "--target", pg.target().uri("postgres"), "--id", id, "--wait",
                "--verify");

        assertThat(cutover.exit()).as(cutover.out() + cutover.err()).isNotZero();
        assertThat(cutover.out()).contains("FAILED").contains("public.t").contains("content differs");
        CliIT.Run run = migrate.get(1, TimeUnit.MINUTES);
        assertThat(run.exit()).as(run.err()).isEqualTo(4);
        assertThat(pg.source().queryValue(db, "SHOW default_transaction_read_only")).as("fence lifted")
                .isEqualTo("off");
    }

    private static boolean caughtUp(Endpoint target, String id) {
        try (MigrationControl control = MigrationControl.connect(target)) {
            return control.status(id).map(MigrationStatus::isCaughtUp).orElse(false);
        } catch (RuntimeException e) {
            return false; // the state tables are not there yet
        }
    }
}
