package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static io.pgrelocate.replication.internal.TargetRelation.Shape.mask;

/**
 * The statements a row change becomes on the target, queued in the apply's batches ({@link StatementCache}): one
 * INSERT, UPDATE or DELETE per change, or, for what {@link NetChanges} collapsed, a COPY of a run of inserts and
 * multi-row UPDATEs and DELETEs ({@link MultiRowStatements}). Values arrive as text and are bound untyped
 * ({@code stringtype=unspecified}), so the target casts each to its column's type. Not thread-safe.
 */
final class RowStatements implements NetChanges.Sink, InsertStream.Rows {
    private static final Logger log = LoggerFactory.getLogger(RowStatements.class);

    private final Connection connection;
    private final StatementCache cache;
    private final TargetRelations relations;
    private final MultiRowStatements multiRow;
    private final CopyInserts copy;
    private final SpilledRows spilled;

    RowStatements(Connection connection, StatementCache cache, TargetRelations relations, CopyInserts copy) {
        this.connection = connection;
        this.cache = cache;
        this.relations = relations;
        this.copy = copy;
        this.multiRow = new MultiRowStatements(cache, RowStatements::missingRow);
        this.spilled = new SpilledRows(connection, RowStatements::missingRow);
    }

    /** Applies {@code change}, which holds a value in a file, at once and alone. */
    void spilled(TargetRelation r, PgOutputMessage change) throws SQLException {
        if (change instanceof PgOutputMessage.Insert i) {
            spilled.insert(r, i.row());
        } else if (change instanceof PgOutputMessage.Update u) {
            spilled.update(r, u);
        } else {
            spilled.delete(r, (PgOutputMessage.Delete) change);
        }
    }

    @Override
    public void flush(TargetRelation r) throws SQLException {
        cache.flush(r.qualified(), RowStatements::missingRow);
    }

    /**
     * Collapsed inserts: a run of them as one COPY, after what is queued for the table (its deletes first); as
     * INSERTs where row security applies to the apply role, since COPY FROM refuses such a table.
     */
    @Override
    public void insertAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) throws SQLException {
        if (rows.size() < CopyInserts.MIN_ROWS || r.rowSecurity() || !CopyInserts.fits(rows)) {
            for (PgOutputMessage.Tuple row : rows) {
                insert(r, row);
            }
            return;
        }
        cache.flush(r.qualified(), RowStatements::missingRow);
        copy.insert(r, rows);
    }

    /** Queues {@code row} as an INSERT into {@code r}. */
    @Override
    public void insert(TargetRelation r, PgOutputMessage.Tuple row) throws SQLException {
        PreparedStatement ps = cache.get(r.sql(new TargetRelation.Shape('I', false, 0, 0), () -> {
            StringBuilder cols = new StringBuilder();
            StringBuilder params = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                cols.append(i == 0 ? "" : ", ").append(r.column(i));
                params.append(i == 0 ? "?" : ", ?");
            }
            // identity columns GENERATED ALWAYS must take the source's values
            return "INSERT INTO " + r.qualified() + " (" + cols + ") OVERRIDING SYSTEM VALUE VALUES (" + params + ")";
        }));
        long bytes = 0;
        for (int i = 0; i < r.size(); i++) {
            bytes += bind(ps, i + 1, row, i);
        }
        cache.add(r.qualified(), ps, false, bytes, () -> "insert into " + r.display(), RowStatements::missingRow);
    }

    @Override
    public void updateAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) throws SQLException {
        multiRow.update(r, rows, row -> update(r, new PgOutputMessage.Update(relationId, null, false, row)));
    }

    @Override
    public void deleteAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> keys) throws SQLException {
        multiRow.delete(r, keys, key -> delete(r, new PgOutputMessage.Delete(relationId, key, false)));
    }

    void update(TargetRelation r, PgOutputMessage.Update u) throws SQLException {
        PgOutputMessage.Tuple row = u.row();
        PgOutputMessage.Tuple old = u.old() != null ? u.old() : row;
        List<Integer> set = new ArrayList<>();
        // without an old key the key did not change: leaving it out of SET spares an index update, and an
        // identity column GENERATED ALWAYS may not be SET at all
        boolean keyUnchanged = u.old() == null;
        for (int i = 0; i < r.size(); i++) {
            if (!row.unchanged()[i] && !(keyUnchanged && r.isKey(i))) {
                set.add(i);
            }
        }
        if (set.isEmpty()) {
            return;
        }
        boolean byKey = !u.oldIsFullRow() && r.hasKey();
        List<Integer> where = whereColumns(r, old, byKey);
        PreparedStatement ps = cache.get(r.sql(new TargetRelation.Shape('U', byKey, mask(set), mask(where)), () -> {
            StringBuilder sql = new StringBuilder("UPDATE ").append(r.only()).append(" SET ");
            for (int k = 0; k < set.size(); k++) {
                sql.append(k == 0 ? "" : ", ").append(r.column(set.get(k))).append(" = ?");
            }
            return sql.append(whereSql(r, where, byKey)).toString();
        }));
        int p = 1;
        long bytes = 0;
        for (int i : set) {
            bytes += bind(ps, p++, row, i);
        }
        String[] found = bindWhere(ps, p, old, where);
        bytes += boundBytes(old, where);
        cache.add(r.qualified(), ps, true, bytes, () -> describe("update", r, found, where, byKey), RowStatements::missingRow);
    }

    void delete(TargetRelation r, PgOutputMessage.Delete d) throws SQLException {
        boolean byKey = !d.oldIsFullRow() && r.hasKey();
        List<Integer> where = whereColumns(r, d.old(), byKey);
        PreparedStatement ps = cache.get(r.sql(new TargetRelation.Shape('D', byKey, 0, mask(where)),
                () -> "DELETE FROM " + r.only() + whereSql(r, where, byKey)));
        String[] found = bindWhere(ps, 1, d.old(), where);
        long bytes = boundBytes(d.old(), where);
        cache.add(r.qualified(), ps, true, bytes, () -> describe("delete", r, found, where, byKey), RowStatements::missingRow);
    }

    /** The columns finding the old row: the key's, or for REPLICA IDENTITY FULL every column sent. */
    static List<Integer> whereColumns(TargetRelation r, PgOutputMessage.Tuple old, boolean byKey) {
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (!(byKey && !r.isKey(i)) && !old.unchanged()[i]) {
                used.add(i);
            }
        }
        return used;
    }

    /**
     * The WHERE clause finding the old row: by the key columns, or, for REPLICA IDENTITY FULL, by every sent
     * column compared as text (types such as json have no equality), one row only: by ctid (a TID scan), and
     * for a partitioned table by (tableoid, ctid), since a ctid repeats across partitions. The value sent (the type's
     * output) is read as the column's type and cast to text like the column: a cast to text is not always the
     * output function (boolean's is 'false' for 'f', inet's adds the netmask, char(n)'s drops the padding).
     */
    static String whereSql(TargetRelation r, List<Integer> where, boolean byKey) {
        StringBuilder cond = new StringBuilder();
        for (int i : where) {
            cond.append(cond.length() == 0 ? "" : " AND ").append(r.column(i))
                    .append(byKey ? " = ?" : "::text IS NOT DISTINCT FROM (?::" + r.type(i) + ")::text");
        }
        if (byKey) {
            return " WHERE " + cond;
        }
        if (r.partitioned()) {
            return " WHERE (tableoid, ctid) = (SELECT tableoid, ctid FROM " + r.only() + " WHERE " + cond + " LIMIT 1)";
        }
        return " WHERE ctid = (SELECT ctid FROM " + r.only() + " WHERE " + cond + " LIMIT 1)";
    }

    void truncate(PgOutputMessage.Truncate t) throws SQLException {
        cache.flush(RowStatements::missingRow);
        List<String> names = new ArrayList<>();
        for (int id : t.relationIds()) {
            TargetRelation r = relations.get(id);
            names.add(r.only());
        }
        try (Statement st = connection.createStatement()) {
            st.execute("TRUNCATE " + String.join(", ", names) + (t.restartIdentity() ? " RESTART IDENTITY" : "")
                    + (t.cascade() ? " CASCADE" : ""));
        }
    }

    /**
     * Binds column {@code i} of {@code row}, decoding only it (a String kept in the row would outlive the batch);
     * returns the heap it holds until the batch is sent.
     */
    private static long bind(PreparedStatement ps, int index, PgOutputMessage.Tuple row, int i) throws SQLException {
        String value = row.value(i);
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setString(index, value);
        }
        return HeapBudget.bound(row.length(i));
    }

    /**
     * Binds the values finding the old row from {@code index} on and returns them, for the error naming it: they,
     * not the whole row, are what the batch keeps for that.
     */
    private static String[] bindWhere(PreparedStatement ps, int index, PgOutputMessage.Tuple old, List<Integer> where)
            throws SQLException {
        String[] values = new String[where.size()];
        for (int k = 0; k < where.size(); k++) {
            values[k] = old.value(where.get(k));
            if (values[k] == null) {
                ps.setNull(index + k, Types.OTHER);
            } else {
                ps.setString(index + k, values[k]);
            }
        }
        return values;
    }

    private static long boundBytes(PgOutputMessage.Tuple row, List<Integer> columns) {
        long bytes = 0;
        for (int i : columns) {
            bytes += HeapBudget.bound(row.length(i));
        }
        return bytes;
    }

    /** The row by table and key columns: its values are data, which reach only DEBUG. */
    private static String describe(String op, TargetRelation r, String[] found, List<Integer> where, boolean byKey) {
        StringBuilder cols = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int k = 0; k < where.size(); k++) {
            int i = where.get(k);
            cols.append(k == 0 ? "" : ", ").append(r.column(i));
            values.append(k == 0 ? "" : ", ").append(r.column(i)).append(" = ").append(abbreviate(found[k]));
        }
        log.debug("{} of {} found no row where {}", op, r.qualified(), values);
        return op + " of a row of " + r.qualified() + " by " + (byKey ? "key" : "all its columns") + " (" + cols + ")";
    }

    private static String abbreviate(String v) {
        return v == null ? "NULL" : v.length() > 40 ? "'" + v.substring(0, 40) + "...'" : "'" + v + "'";
    }

    static void missingRow(String description) {
        throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, description + " found no row on the target: "
                + "the target no longer matches the source (was it written to?); verify and migrate again");
    }
}
