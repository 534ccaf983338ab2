package io.pgrelocate.replication.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The net effect, per table and replica-identity key, of the changes of one target transaction: insert then
 * update is an insert of the final row, update then update one update, insert then delete nothing. pgbench's
 * transactions update the same few branch and teller rows over and over; applied one by one inside one
 * target transaction each update walks a longer chain of row versions, collapsed it is one update per row.
 * Only tables whose rows are found by a key (replica identity default or index) take part, and only changes
 * that keep their key, plus runs of inserts into a keyless table; anything else is refused and the caller
 * applies what is collected first.
 * Replayed per table as deletes, then updates, then inserts, which is the order that frees unique values
 * before they are taken again in all but a swap; the caller replays change by change when that fails.
 * Not thread-safe.
 */
final class NetChanges {
    private enum Kind { INSERT, UPDATE, DELETE, REPLACE }

    /** One key's net change: {@code row} to insert or the changed values to set; {@code old} the key deleted. */
    private static final class Net {
        private Kind kind;
        private PgOutputMessage.Tuple row;
        private PgOutputMessage.Tuple old;

        private Net(Kind kind, PgOutputMessage.Tuple row, PgOutputMessage.Tuple old) {
            this.kind = kind;
            this.row = row;
            this.old = old;
        }
    }

    /** Where a collected change goes when it is replayed. */
    interface Sink {
        /** Rows to insert, each complete, in the order they were first collected. */
        void insertAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) throws SQLException;

        /** Rows found by their key (unchanged), each with the values to set (TOASTed ones may be unsent). */
        void updateAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) throws SQLException;

        /** Rows to delete, each named by its key. */
        void deleteAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> keys) throws SQLException;
    }

    private record Table(TargetRelation relation, Map<Object, Net> rows) {
    }

    private final Map<Integer, Table> tables = new LinkedHashMap<>();
    /** Per relation its key columns' indexes, while it has changes collected. */
    private final Map<TargetRelation, int[]> keyColumns = new IdentityHashMap<>();

    boolean isEmpty() {
        return tables.isEmpty();
    }

    /**
     * Folds {@code change} (to {@code r}, null for a change naming no single relation) into the net effect;
     * false when it cannot be (the caller applies it itself).
     */
    boolean absorb(TargetRelation r, PgOutputMessage change) {
        if (r == null) {
            return false;
        }
        Table seen = tables.get(relationId(change));
        if (seen != null && seen.relation() != r) {
            return false;
        }
        if (r.source().replicaIdentity() != 'd' && r.source().replicaIdentity() != 'i' || !hasKey(r)) {
            // no key to fold by (REPLICA IDENTITY FULL or NOTHING, or no primary key: pgbench_history's kind): a
            // run of inserts is kept in order and goes out as one COPY; an update or delete is refused, so the
            // caller sends the run first and applies it after, in source order
            return change instanceof PgOutputMessage.Insert i && appended(r, i);
        }
        if (change instanceof PgOutputMessage.Insert i) {
            return insert(r, i);
        }
        if (change instanceof PgOutputMessage.Update u) {
            return u.old() == null && update(r, u);
        }
        if (change instanceof PgOutputMessage.Delete d) {
            return !d.oldIsFullRow() && delete(r, d);
        }
        return false;
    }

    private boolean insert(TargetRelation r, PgOutputMessage.Insert i) {
        Key key = key(r, i.row());
        if (key == null) {
            return false;
        }
        Map<Object, Net> rows = rows(r, i.relationId());
        Net n = rows.get(key);
        if (n == null) {
            rows.put(key, new Net(Kind.INSERT, i.row(), null));
        } else if (n.kind == Kind.DELETE) {
            n.kind = Kind.REPLACE;
            n.row = i.row();
        } else {
            return false;
        }
        return true;
    }

    private static boolean hasKey(TargetRelation r) {
        for (int i = 0; i < r.size(); i++) {
            if (r.isKey(i)) {
                return true;
            }
        }
        return false;
    }

    /** A keyless row, kept under its arrival number: no other change can refer to it. */
    private boolean appended(TargetRelation r, PgOutputMessage.Insert i) {
        Map<Object, Net> rows = rows(r, i.relationId());
        rows.put(rows.size(), new Net(Kind.INSERT, i.row(), null));
        return true;
    }

    private boolean update(TargetRelation r, PgOutputMessage.Update u) {
        Key key = key(r, u.row());
        if (key == null) {
            return false;
        }
        Map<Object, Net> rows = rows(r, u.relationId());
        Net n = rows.get(key);
        if (n == null) {
            rows.put(key, new Net(Kind.UPDATE, u.row(), null));
        } else if (n.kind == Kind.DELETE) {
            return false;
        } else {
            n.row = merge(n.row, u.row());
        }
        return true;
    }

    private boolean delete(TargetRelation r, PgOutputMessage.Delete d) {
        Key key = key(r, d.old());
        if (key == null) {
            return false;
        }
        Map<Object, Net> rows = rows(r, d.relationId());
        Net n = rows.get(key);
        if (n == null) {
            rows.put(key, new Net(Kind.DELETE, null, d.old()));
        } else if (n.kind == Kind.DELETE) {
            return false;
        } else if (n.kind == Kind.INSERT) {
            rows.remove(key);
        } else {
            // an update or a replace: the row was there before this transaction, and is gone at its end
            n.kind = Kind.DELETE;
            n.row = null;
            n.old = d.old();
        }
        return true;
    }

    private Map<Object, Net> rows(TargetRelation r, int relationId) {
        return tables.computeIfAbsent(relationId, k -> new Table(r, new LinkedHashMap<>())).rows();
    }

    /** The relation {@code change} is to, or -1 (a truncate, which may name several). */
    static int relationId(PgOutputMessage change) {
        if (change instanceof PgOutputMessage.Insert i) {
            return i.relationId();
        }
        if (change instanceof PgOutputMessage.Update u) {
            return u.relationId();
        }
        return change instanceof PgOutputMessage.Delete d ? d.relationId() : -1;
    }

    /**
     * The key's values as the bytes sent (equal text is an equal key: the same output function made both), or
     * null when a key value is missing (then the change is not folded).
     */
    private Key key(TargetRelation r, PgOutputMessage.Tuple row) {
        int[] columns = keyColumns.computeIfAbsent(r, NetChanges::keyColumns);
        if (columns.length == 0) {
            return null;
        }
        for (int i : columns) {
            if (row.unchanged()[i] || row.array(i) == null) {
                return null;
            }
        }
        return new Key(row, columns);
    }

    private static int[] keyColumns(TargetRelation r) {
        int n = 0;
        for (int i = 0; i < r.size(); i++) {
            n += r.isKey(i) ? 1 : 0;
        }
        int[] columns = new int[n];
        int k = 0;
        for (int i = 0; i < r.size(); i++) {
            if (r.isKey(i)) {
                columns[k++] = i;
            }
        }
        return columns;
    }

    /**
     * A row's key values, compared by content where they lie in the row (no copy, no String); the rows of one
     * table's map share their relation's key columns.
     */
    private static final class Key {
        private final PgOutputMessage.Tuple row;
        private final int[] columns;
        private final int hash;

        private Key(PgOutputMessage.Tuple row, int[] columns) {
            this.row = row;
            this.columns = columns;
            int h = 1;
            for (int i : columns) {
                byte[] a = row.array(i);
                for (int j = row.offset(i), end = j + row.length(i); j < end; j++) {
                    h = 31 * h + a[j];
                }
                h = 31 * h + row.length(i);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.hash != hash || k.columns.length != columns.length) {
                return false;
            }
            for (int c = 0; c < columns.length; c++) {
                int i = columns[c];
                int j = k.columns[c];
                if (!Arrays.equals(row.array(i), row.offset(i), row.offset(i) + row.length(i),
                        k.row.array(j), k.row.offset(j), k.row.offset(j) + k.row.length(j))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The later row's values, and the earlier's where the later did not send a TOASTed value: the later row
     * itself when it sent every value (no copy).
     */
    private static PgOutputMessage.Tuple merge(PgOutputMessage.Tuple earlier, PgOutputMessage.Tuple later) {
        if (later.complete()) {
            return later;
        }
        byte[][] values = new byte[later.size()][];
        boolean[] unchanged = Arrays.copyOf(later.unchanged(), later.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = later.raw(i);
            if (unchanged[i]) {
                values[i] = earlier.raw(i);
                unchanged[i] = earlier.unchanged()[i];
            }
        }
        return new PgOutputMessage.Tuple(values, unchanged);
    }

    /** Replays everything collected into {@code sink} and forgets it. */
    void drain(Sink sink) throws SQLException {
        try {
            for (Map.Entry<Integer, Table> e : tables.entrySet()) {
                drain(e.getKey(), e.getValue(), sink);
            }
        } finally {
            clear();
        }
    }

    /**
     * Replays and forgets what is collected for one relation: enough before a change to that relation that
     * cannot be folded, since changes to different tables need no order among them on the target (it fires
     * no triggers; see {@link StatementCache}).
     */
    void drain(int relationId, Sink sink) throws SQLException {
        Table t = tables.remove(relationId);
        if (t != null) {
            drain(relationId, t, sink);
        }
    }

    private static void drain(int id, Table t, Sink sink) throws SQLException {
        TargetRelation r = t.relation();
        List<PgOutputMessage.Tuple> deletes = new ArrayList<>();
        List<PgOutputMessage.Tuple> updates = new ArrayList<>();
        for (Net n : t.rows().values()) {
            if (n.kind == Kind.DELETE || n.kind == Kind.REPLACE) {
                deletes.add(n.old);
            } else if (n.kind == Kind.UPDATE) {
                updates.add(n.row);
            }
        }
        sink.deleteAll(r, id, deletes);
        sink.updateAll(r, id, updates);
        List<PgOutputMessage.Tuple> inserts = new ArrayList<>();
        for (Net n : t.rows().values()) {
            if (n.kind == Kind.INSERT || n.kind == Kind.REPLACE) {
                inserts.add(n.row);
            }
        }
        sink.insertAll(r, id, inserts);
    }

    void clear() {
        tables.clear();
        keyColumns.clear();
    }
}
