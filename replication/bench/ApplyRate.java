import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.Mode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The pgrelocate side of apply_rate.sh: a continuous migration of one database that prints CAUGHT_UP once
 * streaming, then keeps applying until the file named by the third argument appears, then stops (keeping
 * the target's data). Arguments: source URI, target URI, stop file, database.
 */
public final class ApplyRate {
    public static void main(String[] args) throws Exception {
        try (Migration m = Migration.builder().source(args[0]).target(args[1]).mode(Mode.CONTINUOUS)
                .databases(args[3]).migrationId("bench").setReplicaIdentityFull(true).acceptWarnings(true)
                .build()) {
            MigrationHandle handle = m.start();
            if (!handle.awaitCaughtUp(Duration.ofMinutes(30))) {
                throw new IllegalStateException("not caught up after 30 minutes");
            }
            System.out.println("CAUGHT_UP");
            Path stop = Path.of(args[2]);
            while (!Files.exists(stop)) {
                Thread.sleep(200);
            }
            System.out.println("stopped: " + handle.stop(Duration.ofMinutes(5)));
        }
    }
}
