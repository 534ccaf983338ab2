package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
     * the target (COPY) is never made a String; {@link #values()} decodes them on first use. A value too big
     * for the heap is in a file instead ({@link #spilled(int)}): asking for it in memory fails loudly, never reads
     * as NULL. Read by one thread at a time (the apply thread, after the queue handed it over).
     */
    final class Tuple {
        private final boolean[] unchanged;
        private byte[][] raw;
        private String[] values;
        /** Per column its file, or null for every column when none is spilled. */
        private SpilledValue[] spilled;

        public Tuple(String[] values, boolean[] unchanged) {
            this.values = values;
            this.unchanged = unchanged;
        }

        /** @param raw per column the value's UTF-8 bytes, null for NULL or unsent */
        public Tuple(byte[][] raw, boolean[] unchanged) {
            this.raw = raw;
            this.unchanged = unchanged;
        }

        /** @param spilled per column the file holding its value, or null; raw is null where a value is spilled */
        Tuple(byte[][] raw, boolean[] unchanged, SpilledValue[] spilled) {
            this.raw = raw;
            this.unchanged = unchanged;
            this.spilled = spilled;
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
                String[] decoded = new String[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    decoded[i] = raw[i] == null ? null : new String(raw[i], StandardCharsets.UTF_8);
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
            return raw[i] == null ? null : new String(raw[i], StandardCharsets.UTF_8);
        }

        /** Column {@code i}'s value as UTF-8 bytes, or null; not to be modified. */
        public byte[] raw(int i) {
            inMemory(i);
            if (raw != null) {
                return raw[i];
            }
            return values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }

        /** The bytes column {@code i} holds, without decoding it. */
        public int length(int i) {
            if (spilled != null && spilled[i] != null) {
                return (int) spilled[i].length();
            }
            if (raw != null) {
                return raw[i] == null ? 0 : raw[i].length;
            }
            return values[i] == null ? 0 : values[i].length();
        }

        public boolean[] unchanged() {
            return unchanged;
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
