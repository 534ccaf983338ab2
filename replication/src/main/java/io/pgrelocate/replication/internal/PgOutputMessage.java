package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;

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
     * A row: per column a text value, or null; {@code unchanged[i]} marks a TOASTed value the server did not
     * send because it did not change.
     */
    record Tuple(String[] values, boolean[] unchanged) {
        public int size() {
            return values.length;
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
