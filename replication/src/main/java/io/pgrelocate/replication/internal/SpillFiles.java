package io.pgrelocate.replication.internal;

import org.postgresql.core.PGStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The temporary files of one stream session's spilled values, in a directory of their own made on first use and
 * removed, with whatever is left in it, when the session ends. Writes on the reader thread; {@link #close()} after
 * it stopped (or to give it up: a write then fails).
 */
final class SpillFiles implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final byte[] chunk = new byte[CHUNK];
    private volatile Path dir;

    /** Copies the next {@code length} bytes of {@code pg} into a new file, a chunk at a time. */
    SpilledValue write(PGStream pg, int length) throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("pgrelocate-spill-");
        }
        Path file = Files.createTempFile(dir, "value-", ".txt");
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

    @Override
    public void close() {
        Path d = dir;
        if (d == null) {
            return;
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
