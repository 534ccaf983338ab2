package com.example.orders;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;

import java.time.Duration;

/** The application's own migration program: a dump of one database, then a continuous migration of another. */
public final class Main {
    private Main() {
    }

    /** Arguments: source URI, target URI, the database to dump, the database to migrate continuously. */
    public static void main(String[] args) {
        try (Migration dump = Migration.builder().source(args[0]).target(args[1]).mode(Mode.DUMP)
                .databases(args[2]).migrationId("orders_dump").build()) {
            MigrationState end = dump.start().await(Duration.ofMinutes(3));
            System.out.println("dump of " + args[2] + ": " + end);
        }
        try (Migration continuous = Migration.builder().source(args[0]).target(args[1]).mode(Mode.CONTINUOUS)
                .databases(args[3]).migrationId("orders_stream").build()) {
            MigrationHandle handle = continuous.start();
            if (!handle.awaitCaughtUp(Duration.ofMinutes(3))) {
                throw new IllegalStateException("did not catch up");
            }
            handle.cutover(Duration.ofMinutes(2));
            System.out.println("continuous migration of " + args[3] + ": " + handle.state());
        }
    }
}
