package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PostgresServer;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A dump migration in a JVM of its own, with a heap of the test's choosing. Source and target URIs come from
 * the environment; arguments: migration id, databases. Exits 0 when completed, 5 when stopped, 1 on failure,
 * once its stdin is closed.
 */
public final class ChildDump {
    private ChildDump() {
    }

    /** Printed when the run has ended; then the child waits for its stdin to close, so a test sees what it left open. */
    static final String ENDED = "pgrelocate-child-ended ";

    public static void main(String[] args) throws IOException {
        int code;
        try (Migration m = Migration.builder().source(System.getenv("PGRELOCATE_SOURCE"))
                .target(System.getenv("PGRELOCATE_TARGET")).mode(Mode.DUMP).migrationId(args[0]).jobs(2)
                .databases(java.util.Arrays.copyOfRange(args, 1, args.length)).statusInterval(Duration.ofMillis(200))
                .build()) {
            MigrationState end = m.start().await(Duration.ofMinutes(10));
            code = end == MigrationState.COMPLETED ? 0 : 5;
        } catch (PgRelocateException e) {
            LoggerFactory.getLogger(ChildDump.class).error("migration {} failed: {}", args[0], e.getMessage(), e);
            code = 1;
        }
        System.out.println(ENDED + code);
        System.out.flush();
        System.in.readAllBytes();
        System.exit(code);
    }

    /** Starts the child on this JVM's class path with {@code -Xmx<heap>}; its output goes to {@code log}. */
    static Process start(String heap, PostgresServer source, PostgresServer target, Path log, String migrationId,
                         String... databases) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dpgrelocate.preflight.optional=true", "-cp", System.getProperty("java.class.path"), ChildDump.class.getName(), migrationId));
        cmd.addAll(List.of(databases));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PGRELOCATE_SOURCE", source.uri("postgres"));
        pb.environment().put("PGRELOCATE_TARGET", target.uri("postgres"));
        return pb.start();
    }
}
