package io.pgrelocate.examples.cli;

import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards issue 13: a migration that carries password verifiers (SCRAM and md5) never shows one, nor a plain
 * password, in its output, its logs (down to DEBUG) or its state tables.
 */
class RolePasswordsIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    private static final String SCRAM_PASSWORD = "scram-Plain-8841";
    private static final String MD5_PASSWORD = "md5-Plain-3317";

    @Test
    void verifiersAndPasswordsReachNoOutputLogOrStateTable() throws Exception {
        String db = pg.newDatabase("rolepw");
        String app = pg.uniqueName("rp_app").replace('-', '_');
        String legacy = pg.uniqueName("rp_legacy").replace('-', '_');
        String stateSchema = pg.uniqueName("rp_state").replace('-', '_');
        try {
            pg.source().execute("postgres",
                    "CREATE ROLE " + Sql.ident(app) + " LOGIN PASSWORD " + Sql.literal(SCRAM_PASSWORD),
                    "SET password_encryption = 'md5'",
                    "CREATE ROLE " + Sql.ident(legacy) + " LOGIN PASSWORD " + Sql.literal(MD5_PASSWORD),
                    "RESET password_encryption",
                    "ALTER DATABASE " + Sql.ident(db) + " OWNER TO " + Sql.ident(app));
            pg.source().execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)",
                    "GRANT SELECT ON t TO " + Sql.ident(legacy));
            List<String> verifiers = pg.source().queryColumn("postgres", "SELECT rolpassword FROM pg_authid WHERE "
                    + "rolname IN (" + Sql.literal(app) + ", " + Sql.literal(legacy) + ") ORDER BY rolname");
            assertThat(verifiers).as("one SCRAM and one md5 verifier").hasSize(2)
                    .anySatisfy(v -> assertThat(v).startsWith("SCRAM-SHA-256$"))
                    .anySatisfy(v -> assertThat(v).startsWith("md5"));

            String output = migrate(db, stateSchema);

            assertThat(pg.target().queryColumn("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname IN ("
                    + Sql.literal(app) + ", " + Sql.literal(legacy) + ") ORDER BY rolname"))
                    .as("the verifiers did arrive").isEqualTo(verifiers);
            assertThat(output).as("the run logged at DEBUG").contains("DEBUG").contains(app);
            String state = stateRows("postgres", stateSchema) + stateRows(db, stateSchema);
            assertThat(state).as("the state tables were kept and hold rows").isNotBlank();
            for (String secret : List.of(verifiers.get(0), verifiers.get(1), SCRAM_PASSWORD, MD5_PASSWORD,
                    PostgresServer.PASSWORD)) {
                assertThat(output).as("CLI output and log").doesNotContain(secret);
                assertThat(state).as("state tables").doesNotContain(secret);
            }
            assertThat(output + state).doesNotContain("SCRAM-SHA-256$").doesNotContainPattern("md5[0-9a-f]{32}");
        } finally {
            pg.afterEach(null);
            pg.target().execute("postgres", "DROP SCHEMA IF EXISTS " + Sql.ident(stateSchema) + " CASCADE");
            for (PostgresServer s : List.of(pg.source(), pg.target())) {
                s.execute("postgres", "DROP ROLE IF EXISTS " + Sql.ident(app), "DROP ROLE IF EXISTS " + Sql.ident(legacy));
            }
        }
    }

    /** The CLI in a JVM of its own, logging at DEBUG, printing every event; stdout and stderr together. */
    private String migrate(String db, String stateSchema) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "migrate", "--verbose", "--source", pg.source().uri("postgres"), "--target",
                pg.target().uri("postgres"), "--mode", "dump", "--database", db, "--roles", "needed", "--keep-state",
                "--state-schema", stateSchema, "--json-progress", "--id", pg.migrationId()));
        Path log = Files.createTempFile("role-passwords", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the CLI ends").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Every row of every table of the state schema in {@code database}, as text. */
    private static String stateRows(String database, String schema) {
        StringBuilder sb = new StringBuilder();
        for (String table : pg.target().queryColumn(database, "SELECT quote_ident(table_name) FROM "
                + "information_schema.tables WHERE table_schema = " + Sql.literal(schema))) {
            sb.append(String.join("\n", pg.target().queryColumn(database, "SELECT x::text FROM " + Sql.ident(schema)
                    + "." + table + " x"))).append('\n');
        }
        return sb.toString();
    }
}
