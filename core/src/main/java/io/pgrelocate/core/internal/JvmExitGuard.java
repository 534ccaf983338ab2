package io.pgrelocate.core.internal;

import io.pgrelocate.core.PgRelocateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * When the JVM shuts down (System.exit, SIGTERM, Ctrl-C, or the last non-daemon thread ending) while a
 * migration still runs, stops it the way {@code stop()} does and waits, bounded, until its end is recorded,
 * so the state row says STOPPED instead of a RUNNING no process serves. A kill -9 leaves no such chance:
 * {@code MigrationControl} then tells from the missing heartbeat and lock. Thread-safe.
 */
final class JvmExitGuard {
    private static final Logger log = LoggerFactory.getLogger(JvmExitGuard.class);
    /** Shutdown cannot wait for ever: what is not stopped by then is resumed by the next start. */
    static final Duration GRACE = Duration.ofSeconds(20);
    private static final Set<MigrationRunner> RUNNING = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private JvmExitGuard() {
    }

    static synchronized void register(MigrationRunner runner) {
        if (!hookInstalled) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(JvmExitGuard::stopAll, "pgrelocate-shutdown"));
                hookInstalled = true;
            } catch (IllegalStateException alreadyShuttingDown) {
                return;
            }
        }
        RUNNING.add(runner);
    }

    static synchronized void unregister(MigrationRunner runner) {
        RUNNING.remove(runner);
    }

    private static void stopAll() {
        List<MigrationRunner> runners;
        synchronized (JvmExitGuard.class) {
            runners = new ArrayList<>(RUNNING);
        }
        for (MigrationRunner r : runners) {
            log.warn("the JVM is shutting down: stopping migration {} (start it again to resume)", r.migrationId());
            r.stopForShutdown();
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (MigrationRunner r : runners) {
            try {
                r.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (PgRelocateException e) {
                log.warn("migration {} did not stop cleanly before the JVM exit: {}", r.migrationId(), e.getMessage());
            }
        }
    }
}
