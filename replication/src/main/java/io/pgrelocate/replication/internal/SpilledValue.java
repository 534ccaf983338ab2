package io.pgrelocate.replication.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A column value too big to hold in the heap, as pgoutput sent it (its type's text form, UTF-8), in a temporary
 * file written while the message was read ({@link SpillFiles}). The file goes when the change is applied or read
 * past ({@link #release}), or with the stream session's directory. Immutable; the file is read by the apply thread
 * after the reader thread wrote it.
 *
 * @param length the value's bytes
 */
record SpilledValue(Path file, long length) {

    InputStream open() {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spilled value " + file, e);
        }
    }

    /** The value's first {@code bytes} bytes as text (a character cut in two at the end shows as U+FFFD). */
    String head(int bytes) {
        try (InputStream in = open()) {
            return new String(in.readNBytes(bytes), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return "(its text could not be read back: " + e.getMessage() + ")";
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the session's directory goes at its end
        }
    }

    /** Whether {@code m} holds a spilled value in any of its rows. */
    static boolean any(PgOutputMessage m) {
        if (m instanceof PgOutputMessage.Insert i) {
            return i.row().hasSpilled();
        }
        if (m instanceof PgOutputMessage.Update u) {
            return u.row().hasSpilled() || u.old() != null && u.old().hasSpilled();
        }
        return m instanceof PgOutputMessage.Delete d && d.old().hasSpilled();
    }

    /** Deletes the files of {@code m}'s spilled values: it was applied or read past. */
    static void release(PgOutputMessage m) {
        if (m instanceof PgOutputMessage.Insert i) {
            i.row().release();
        } else if (m instanceof PgOutputMessage.Update u) {
            u.row().release();
            if (u.old() != null) {
                u.old().release();
            }
        } else if (m instanceof PgOutputMessage.Delete d) {
            d.old().release();
        }
    }
}
