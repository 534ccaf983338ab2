package io.pgrelocate.replication.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Removes the spill directories ({@link SpillFiles}) of processes that ended without removing them (a kill -9, a
 * crash), which nothing else would ever remove. A directory is named {@code pgrelocate-spill-<pid>-<n>} and holds
 * a {@code .lock} file its process keeps locked while it lives; one is stale when its process is gone and its lock
 * is free. The lock covers a process in another PID namespace sharing the directory (its PID means nothing here);
 * a directory without a lock yet is left alone while it is young (its owner may be creating it). A directory of
 * this process, or of a live PID, is never touched. Thread-safe.
 */
final class StaleSpills {
    private static final Logger log = LoggerFactory.getLogger(StaleSpills.class);
    static final String PREFIX = "pgrelocate-spill-";
    static final String LOCK = ".lock";
    private static final Duration YOUNG = Duration.ofMinutes(10);
    private static final AtomicBoolean swept = new AtomicBoolean();

    private StaleSpills() {
    }

    /** Sweeps the temporary directory once per JVM: at the first stream session. */
    static void sweepOnce() {
        if (swept.compareAndSet(false, true)) {
            sweep(Path.of(System.getProperty("java.io.tmpdir")));
        }
    }

    /** Removes the stale spill directories in {@code tmp}; returns how many. Failures are logged, never thrown. */
    static int sweep(Path tmp) {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                // a link named like a spill directory is not one: never followed (tmp is everyone's)
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && removeIfStale(dir)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("could not look for stale spill directories in {}: {}", tmp, e.toString());
        }
        return removed;
    }

    private static boolean removeIfStale(Path dir) throws IOException {
        OptionalLong pid = pid(dir.getFileName().toString());
        if (pid.isEmpty() || pid.getAsLong() == ProcessHandle.current().pid()
                || ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path lock = dir.resolve(LOCK);
        if (!Files.exists(lock)) {
            if (Files.getLastModifiedTime(dir).toInstant().isAfter(Instant.now().minus(YOUNG))) {
                return false;
            }
            delete(dir);
            return true;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock held = ch.tryLock()) {
            if (held == null) {
                return false; // its owner lives where its PID does not show
            }
            delete(dir);
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it
        }
        log.info("removed the spill directory {} left by process {}, which is gone", dir, pid.getAsLong());
        return true;
    }

    /** The PID in {@code pgrelocate-spill-<pid>-<n>}, or empty for another name (left alone). */
    static OptionalLong pid(String name) {
        if (!name.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash <= 0 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(rest.substring(0, dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
