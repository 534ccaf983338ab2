package io.pgrelocate.dump;

import io.pgrelocate.testkit.PostgresServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Debian's PostgreSQL 15 pg_dump as a test oracle: the schema of one database as text. */
final class PgDumpOracle {
    static final Path PG_DUMP = Path.of("/usr/lib/postgresql/15/bin/pg_dump");

    private PgDumpOracle() {
    }

    /**
     * {@code pg_dump --schema-only --create} of {@code database}, without what differs between two dumps of
     * identical schemas (the random {@code \restrict} key of pg_dump 15.14 and later).
     */
    static String schema(PostgresServer server, String database) {
        try {
            Path out = Files.createTempFile("pgdump", ".sql");
            ProcessBuilder pb = new ProcessBuilder(PG_DUMP.toString(), "--schema-only", "--create", "-h", server.host(),
                    "-p", String.valueOf(server.port()), "-U", PostgresServer.SUPERUSER, "-d", database)
                    .redirectErrorStream(false).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("PGPASSWORD", PostgresServer.PASSWORD);
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("pg_dump of " + database + " failed");
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return lines.stream().filter(l -> !l.startsWith("\\restrict ") && !l.startsWith("\\unrestrict "))
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
