package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/** The pgoutput messages pgrelocate uses (protocol version 1), decoded. */
public sealed interface PgOutputMessage {

    record Begin(Lsn finalLsn, long commitTimeMicros, long xid) implements PgOutputMessage {
    }

    record Commit(Lsn commitLsn, Lsn endLsn, long commitTimeMicros) implements PgOutputMessage {
    }

    /** One column of a Relation message; {@code key} when it is part of the replica identity. */
    record Column(String name, boolean key, long typeOid, int typeModifier) {
    }

    /** @param replicaIdentity {@code d} default (primary key), {@code n} nothing, {@code f} full, {@code i} index */
    record Relation(int id, String schema, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {
        public Relation {
            columns = List.copyOf(columns);
        }
    }

    /**
     * A row: per column a value in text form, or null; {@code unchanged[i]} marks a TOASTed value the server did
     * not send because it did not change. Kept as the UTF-8 bytes received, so a value that only travels on to
     * the target (COPY, a multi-row statement's arrays) is never made a String; {@link #values()} decodes them on
     * first use. As the decoder leaves it, a row is slices of the message it came in (one array for all its
     * columns: a wide row is a handful of objects for the collector, not one per column); {@link #array},
     * {@link #offset} and {@link #length} read a value where it lies. A value too big for the heap is in a file
     * instead ({@link #spilled(int)}): asking for it in memory fails loudly, never reads as NULL. Read by one
     * thread at a time (the apply thread, after the queue handed it over).
     */
    final class Tuple {
        private final boolean[] unchanged;
        /** Whether no column is unsent. */
        private final boolean complete;
        /** The values' bytes: the message's array, where {@code slices} say (else null, and {@code raw} holds them). */
        private byte[] buffer;
        /** Per column its offset in {@code buffer} (-1: NULL or unsent) and its length, in pairs. */
        private int[] slices;
        private byte[][] raw;
        private String[] values;
        /** Per column its file, or null for every column when none is spilled. */
        private SpilledValue[] spilled;
        /** The bytes of the values in memory. */
        private long inMemory;

        public Tuple(String[] values, boolean[] unchanged) {
            this(utf8(values), unchanged, null);
            this.values = values;
        }

        /** @param raw per column the value's UTF-8 bytes, null for NULL or unsent */
        public Tuple(byte[][] raw, boolean[] unchanged) {
            this(raw, unchanged, null);
        }

        /** @param spilled per column the file holding its value, or null; raw is null where a value is spilled */
        Tuple(byte[][] raw, boolean[] unchanged, SpilledValue[] spilled) {
            this.raw = raw;
            this.unchanged = unchanged;
            this.spilled = spilled;
            this.complete = !any(unchanged);
            for (byte[] v : raw) {
                inMemory += v == null ? 0 : v.length;
            }
        }

        /**
         * @param buffer   the array holding the values (the message as received), not to be modified afterwards
         * @param slices   per column its offset in {@code buffer} (-1: NULL or unsent) and its length, in pairs
         * @param inMemory the values' bytes together
         */
        Tuple(byte[] buffer, int[] slices, boolean[] unchanged, long inMemory) {
            this.buffer = buffer;
            this.slices = slices;
            this.unchanged = unchanged;
            this.complete = !any(unchanged);
            this.inMemory = inMemory;
        }

        private static boolean any(boolean[] flags) {
            for (boolean f : flags) {
                if (f) {
                    return true;
                }
            }
            return false;
        }

        private static byte[][] utf8(String[] values) {
            byte[][] raw = new byte[values.length][];
            for (int i = 0; i < values.length; i++) {
                raw[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
            }
            return raw;
        }

        public boolean hasSpilled() {
            return spilled != null;
        }

        /** Column {@code i}'s value when it is in a file, else null. */
        SpilledValue spilled(int i) {
            return spilled == null ? null : spilled[i];
        }

        /**
         * Reads the spilled values back into memory and deletes their files, for a value the apply needs whole
         * (a recorded DDL statement's text, which the target takes only as one string). Afterwards the row holds
         * no file; the caller has checked the values' sizes.
         */
        void readSpilled() throws IOException {
            if (spilled == null) {
                return;
            }
            for (int i = 0; i < spilled.length; i++) {
                if (spilled[i] != null) {
                    raw[i] = Files.readAllBytes(spilled[i].file());
                    inMemory += raw[i].length;
                    spilled[i].delete();
                }
            }
            spilled = null;
            values = null;
        }

        /** Deletes the files of the spilled values: the row is applied or read past. */
        void release() {
            if (spilled != null) {
                for (SpilledValue v : spilled) {
                    if (v != null) {
                        v.delete();
                    }
                }
            }
        }

        private void inMemory(int i) {
            if (spilled != null && (i < 0 ? hasSpilled() : spilled[i] != null)) {
                throw new IllegalStateException("a value of " + (spilled[Math.max(i, 0)] == null ? "this row"
                        : spilled[i].length() + " bytes") + " is in a file, not in memory: it is applied from there");
            }
        }

        public String[] values() {
            inMemory(-1);
            if (values == null) {
                String[] decoded = new String[size()];
                for (int i = 0; i < decoded.length; i++) {
                    decoded[i] = value(i);
                }
                values = decoded;
            }
            return values;
        }

        /** Column {@code i}'s value, decoding only it when the row was not decoded yet. */
        public String value(int i) {
            inMemory(i);
            if (values != null) {
                return values[i];
            }
            byte[] a = array(i);
            return a == null ? null : new String(a, offset(i), length(i), StandardCharsets.UTF_8);
        }

        /** Column {@code i}'s value as UTF-8 bytes of its own, or null; a copy when the row is slices. */
        public byte[] raw(int i) {
            byte[] a = array(i);
            return a == null || buffer == null ? a : Arrays.copyOfRange(a, offset(i), offset(i) + length(i));
        }

        /**
         * The array holding column {@code i}'s value from {@link #offset} on, {@link #length} bytes, or null for
         * NULL or unsent; not to be modified.
         */
        public byte[] array(int i) {
            inMemory(i);
            if (buffer != null) {
                return slices[2 * i] < 0 ? null : buffer;
            }
            return raw[i];
        }

        /** Where column {@code i}'s value starts in {@link #array}. */
        public int offset(int i) {
            return buffer == null ? 0 : slices[2 * i];
        }

        /** The bytes column {@code i} holds, without decoding it. */
        public int length(int i) {
            if (spilled != null && spilled[i] != null) {
                return (int) spilled[i].length();
            }
            if (buffer != null) {
                return slices[2 * i] < 0 ? 0 : slices[2 * i + 1];
            }
            return raw[i] == null ? 0 : raw[i].length;
        }

        /** The bytes of the values held in memory (not those in files), together. */
        long inMemoryBytes() {
            return inMemory;
        }

        public boolean[] unchanged() {
            return unchanged;
        }

        /** Whether every column is sent (none is an unchanged TOASTed value). */
        public boolean complete() {
            return complete;
        }

        public int size() {
            return unchanged.length;
        }
    }

    record Insert(int relationId, Tuple row) implements PgOutputMessage {
    }

    /** @param old the old key ('K') or whole old row ('O'), or null when the key did not change */
    record Update(int relationId, Tuple old, boolean oldIsFullRow, Tuple row) implements PgOutputMessage {
    }

    record Delete(int relationId, Tuple old, boolean oldIsFullRow) implements PgOutputMessage {
    }

    record Truncate(List<Integer> relationIds, boolean cascade, boolean restartIdentity) implements PgOutputMessage {
        public Truncate {
            relationIds = List.copyOf(relationIds);
        }
    }

    /** Messages pgrelocate reads past: Origin, Type, logical decoding messages. */
    record Ignored(char type) implements PgOutputMessage {
    }
}
