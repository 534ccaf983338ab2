package io.pgrelocate.replication;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Guards issue 12: an apply error names table, key columns and LSN, never the row's values, in log and state. */
class ApplyErrorIT {
    private static final String SECRET = "s3cr3t-card-4111111111111111";

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void aDuplicateKeyOnTheTargetFailsTheRunWithoutPrintingTheRow() {
        String db = pg.newDatabase("dupkey");
        pg.source().execute(db, "CREATE TABLE card (id int PRIMARY KEY, number text UNIQUE)");
        String id = pg.migrationId();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        String thrown;
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db).migrationId(id)
                .statusInterval(Duration.ofMillis(200)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            // someone wrote to the target: the source's next row collides with it
            pg.target().execute(db, "INSERT INTO card VALUES (424242, " + io.pgrelocate.core.spi.Sql.literal(SECRET) + ")");
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                pg.source().execute(db, "INSERT INTO card VALUES (424242, " + io.pgrelocate.core.spi.Sql.literal(SECRET)
                        + ")");
                thrown = org.assertj.core.api.Assertions.catchThrowable(() -> handle.await(Duration.ofMinutes(1)))
                        .getMessage();
                assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
            } finally {
                System.setErr(stderr);
            }
        }
        assertThat(thrown).as("the failure thrown").contains("\"public\".\"card\"").doesNotContain(SECRET);
        String error;
        try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
            error = control.status(id).orElseThrow().database(db).map(DatabaseStatus::error).orElseThrow();
        }
        assertThat(error).as("state error text").contains("duplicate key", "\"public\".\"card\"", "key (\"id\")",
                "committed up to").doesNotContain(SECRET).doesNotContain("424242");
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("log").contains("duplicate key").doesNotContain(SECRET).doesNotContain("424242");
    }
}
