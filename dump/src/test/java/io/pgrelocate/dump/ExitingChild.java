package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM that starts a dump migration of two databases and, when the second starts copying, ends as an
 * application would: {@code exit} returns from everything through System.exit (the shutdown hook runs),
 * {@code halt} dies like a kill -9 (no hook, no last word).
 */
final class ExitingChild {
    private ExitingChild() {
    }

    public static void main(String[] args) {
        String action = args[0];
        String second = args[3];
        Migration m = Migration.builder().source(System.getenv("PGRELOCATE_SOURCE"))
                .target(System.getenv("PGRELOCATE_TARGET")).mode(Mode.DUMP).migrationId(args[1])
                .databases(args[2], second).jobs(1).keepState(true)
                .listener(MigrationListener.of(e -> {
                    if (e instanceof MigrationEvent.PhaseStarted p && p.database().equals(second)
                            && p.phase() == Phase.COPYING) {
                        // from another thread: System.exit waits for the hook, which waits for this run
                        new Thread(() -> {
                            if (action.equals("halt")) {
                                Runtime.getRuntime().halt(9);
                            }
                            System.exit(0);
                        }).start();
                    }
                }))
                .build();
        m.start();
        // main returns without await() or close(): only the exit above ends this JVM
    }

    static Process start(io.pgrelocate.testkit.PostgresServer source, io.pgrelocate.testkit.PostgresServer target,
                         Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dpgrelocate.preflight.optional=true", "-cp", System.getProperty("java.class.path"),
                ExitingChild.class.getName()));
        cmd.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PGRELOCATE_SOURCE", source.uri("postgres"));
        pb.environment().put("PGRELOCATE_TARGET", target.uri("postgres"));
        return pb.start();
    }

    static Duration timeout() {
        return Duration.ofMinutes(2);
    }
}
