package io.pgrelocate.replication.internal;

import org.postgresql.core.PGStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The temporary files of one stream session's spilled values, in a directory of their own made on first use and
 * removed, with whatever is left in it, when the session ends. A process killed meanwhile cannot remove it: its
 * name holds the PID and it holds a file the process keeps locked, so that the next run finds and removes it
 * ({@link StaleSpills}). Writes on the reader thread; {@link #close()} after it stopped (or to give it up: a
 * write then fails).
 */
final class SpillFiles implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final byte[] chunk = new byte[CHUNK];
    private final Path tmp;
    private volatile Path dir;
    /** Locked while the directory lives: released by the close, or by the process's end however it ends. */
    private volatile FileChannel lock;

    SpillFiles() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
        StaleSpills.sweepOnce();
    }

    /** Spills into a directory made in {@code tmp}. */
    SpillFiles(Path tmp) {
        this.tmp = tmp;
    }

    /** Copies the next {@code length} bytes of {@code pg} into a new file, a chunk at a time. */
    SpilledValue write(PGStream pg, int length) throws IOException {
        Path file = Files.createTempFile(directory(), "value-", ".txt");
        try (OutputStream out = Files.newOutputStream(file)) {
            int left = length;
            while (left > 0) {
                int n = Math.min(left, CHUNK);
                pg.receive(chunk, 0, n);
                out.write(chunk, 0, n);
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new SpilledValue(file, length);
    }

    /**
     * The directory, made on first use; its lock file is locked before it has that name, so a sweeper that finds
     * the name finds it locked.
     */
    Path directory() throws IOException {
        if (dir != null) {
            return dir;
        }
        Path d = Files.createTempDirectory(tmp, StaleSpills.PREFIX + ProcessHandle.current().pid() + "-");
        Path pending = d.resolve(StaleSpills.LOCK + "-pending");
        FileChannel ch = FileChannel.open(pending, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ch.lock();
            Files.move(pending, d.resolve(StaleSpills.LOCK), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        lock = ch;
        dir = d;
        return d;
    }

    @Override
    public void close() {
        Path d = dir;
        if (d == null) {
            return;
        }
        try {
            FileChannel ch = lock;
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // closing releases the lock; the files go below either way
        }
        try (Stream<Path> files = Files.list(d)) {
            files.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // tried once; the directory's delete below says nothing either
                }
            });
            Files.deleteIfExists(d);
        } catch (IOException ignored) {
            // a temporary directory: nothing else to do
        }
    }
}
