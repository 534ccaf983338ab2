package io.pgrelocate.replication;

import io.pgrelocate.core.FenceMode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.testkit.PostgresServer;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A continuous migration in a JVM of its own, so a test can kill it with -9. Source and target URIs come from
 * the environment (not the command line, where passwords would show); arguments: migration id, databases.
 * {@code PGRELOCATE_FENCE} (a {@link FenceMode} name) sets the cutover fence.
 * Exits 0 after a cutover, 5 when stopped, 1 on failure.
 */
public final class ChildMigration {
    private ChildMigration() {
    }

    public static void main(String[] args) {
        try (Migration m = Migration.builder().source(System.getenv("PGRELOCATE_SOURCE"))
                .target(System.getenv("PGRELOCATE_TARGET")).mode(Mode.CONTINUOUS).migrationId(args[0])
                .databases(java.util.Arrays.copyOfRange(args, 1, args.length)).statusInterval(Duration.ofMillis(200))
                .fence(FenceMode.valueOf(System.getenv().getOrDefault("PGRELOCATE_FENCE", "READ_ONLY")))
                .keepState(Boolean.parseBoolean(System.getenv("PGRELOCATE_KEEP_STATE")))
                .build()) {
            MigrationState end = m.start().await(Duration.ofMinutes(10));
            System.exit(end == MigrationState.COMPLETED ? 0 : 5);
        } catch (PgRelocateException e) {
            LoggerFactory.getLogger(ChildMigration.class).error("migration {} failed: {}", args[0], e.getMessage(), e);
            System.exit(1);
        }
    }

    /** The log file of the child running migration {@code id}, emptied: ids repeat across test JVMs. */
    static Path freshLog(String id) throws IOException {
        Path log = Path.of("target", "child-logs", id + ".log");
        Files.deleteIfExists(log);
        return log;
    }


    /** Migration {@code id}'s status as {@code target}'s state tables hold it. */
    static Optional<MigrationStatus> status(PostgresServer target, String id) {
        try (MigrationControl control = MigrationControl.connect(target.endpoint("postgres"))) {
            return control.status(id);
        }
    }

    /** Whether migration {@code id} has caught up; false while its state tables are not there yet. */
    static boolean caughtUp(PostgresServer target, String id) {
        try {
            return status(target, id).map(MigrationStatus::isCaughtUp).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Starts the child on this JVM's class path; its output goes to {@code log}. */
    static Process start(PostgresServer source, PostgresServer target, Path log, String migrationId,
                         String... databases) throws IOException {
        return start("256m", false, source, target, log, FenceMode.READ_ONLY, migrationId, databases);
    }

    /** As above, with a maximum heap of {@code heap} (a -Xmx value such as {@code 64m}). */
    static Process start(String heap, PostgresServer source, PostgresServer target, Path log, String migrationId,
                         String... databases) throws IOException {
        return start(heap, false, source, target, log, FenceMode.READ_ONLY, migrationId, databases);
    }

    /** As above; {@code keepState} keeps the state rows of a run that ends stopped too. */
    static Process start(String heap, boolean keepState, PostgresServer source, PostgresServer target, Path log,
                         String migrationId, String... databases) throws IOException {
        return start(heap, keepState, source, target, log, FenceMode.READ_ONLY, migrationId, databases);
    }

    /** As {@link #start(PostgresServer, PostgresServer, Path, String, String...)}, with the given fence. */
    static Process start(PostgresServer source, PostgresServer target, Path log, FenceMode fence, String migrationId,
                         String... databases) throws IOException {
        return start("256m", false, source, target, log, fence, migrationId, databases);
    }

    /** As {@link #start(PostgresServer, PostgresServer, Path, String, String...)}, its temporary files in {@code tmp}. */
    static Process startWithTmp(Path tmp, PostgresServer source, PostgresServer target, Path log, String migrationId,
                                String... databases) throws IOException {
        return launch("256m", false, source, target, log, FenceMode.READ_ONLY, migrationId, databases,
                "-Djava.io.tmpdir=" + tmp);
    }

    private static Process start(String heap, boolean keepState, PostgresServer source, PostgresServer target,
                                 Path log, FenceMode fence, String migrationId, String... databases)
            throws IOException {
        return launch(heap, keepState, source, target, log, fence, migrationId, databases);
    }

    private static Process launch(String heap, boolean keepState, PostgresServer source, PostgresServer target,
                                 Path log, FenceMode fence, String migrationId, String[] databases,
                                 String... jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dpgrelocate.preflight.optional=true"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildMigration.class.getName(), migrationId));
        cmd.addAll(List.of(databases));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PGRELOCATE_SOURCE", source.uri("postgres"));
        pb.environment().put("PGRELOCATE_TARGET", target.uri("postgres"));
        pb.environment().put("PGRELOCATE_FENCE", fence.name());
        pb.environment().put("PGRELOCATE_KEEP_STATE", Boolean.toString(keepState));
        return pb.start();
    }
}
