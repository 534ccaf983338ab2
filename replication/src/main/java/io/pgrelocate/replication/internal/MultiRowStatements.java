package io.pgrelocate.replication.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.pgrelocate.replication.internal.TargetRelation.Shape.mask;

/**
 * UPDATEs and DELETEs of many rows, found by key, as one statement joining {@code unnest} of one {@code text[]}
 * parameter per column, each cast to its target column's type: one executor run instead of one per row, which is
 * most of what separates a SQL apply from native logical replication's direct heap access. The arrays are
 * written from the bytes pgoutput sent ({@link TextArray}): no String and no bound parameter per value, and one
 * statement text per table and column set, whatever the number of rows. Only for collapsed changes, where each
 * key occurs once. Not thread-safe.
 */
final class MultiRowStatements {
    /**
     * Rows per statement: few enough that the planner keeps finding each row through the key's index (a plan
     * joining a thousand keys against a big table still prefers it to a scan), many enough to amortize a
     * statement.
     */
    static final int MAX_ROWS = 1024;

    /** Applies one row alone (a group of one). */
    interface RowByRow {
        void apply(PgOutputMessage.Tuple row) throws SQLException;
    }

    private final StatementCache cache;
    private final StatementCache.MissingRow missing;

    MultiRowStatements(StatementCache cache, StatementCache.MissingRow missing) {
        this.cache = cache;
        this.missing = missing;
    }

    /** Updates {@code rows}, grouped by the columns each sets (TOASTed values may be unsent). */
    void update(TargetRelation r, List<PgOutputMessage.Tuple> rows, RowByRow single) throws SQLException {
        Map<List<Integer>, List<PgOutputMessage.Tuple>> byShape = new LinkedHashMap<>();
        List<Integer> last = null;
        for (PgOutputMessage.Tuple row : rows) {
            List<Integer> set = setColumns(r, row, last);
            if (!set.isEmpty()) {
                byShape.computeIfAbsent(set, k -> new ArrayList<>()).add(row);
            }
            last = set;
        }
        for (Map.Entry<List<Integer>, List<PgOutputMessage.Tuple>> e : byShape.entrySet()) {
            run(r, 'V', e.getKey(), e.getValue(), single);
        }
    }

    /** The columns {@code row} sets; {@code last} when they are the same (rows of one shape share the list). */
    private static List<Integer> setColumns(TargetRelation r, PgOutputMessage.Tuple row, List<Integer> last) {
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (!row.unchanged()[i] && !r.isKey(i)) {
                set.add(i);
            }
        }
        return set.equals(last) ? last : set;
    }

    /** Deletes the rows named by {@code keys}. */
    void delete(TargetRelation r, List<PgOutputMessage.Tuple> keys, RowByRow single) throws SQLException {
        run(r, 'X', List.of(), keys, single);
    }

    private void run(TargetRelation r, char op, List<Integer> set, List<PgOutputMessage.Tuple> rows, RowByRow single)
            throws SQLException {
        if (rows.size() == 1) {
            single.apply(rows.get(0));
            return;
        }
        List<Integer> columns = new ArrayList<>(keys(r));
        columns.addAll(set);
        String sql = r.sql(new TargetRelation.Shape(op, true, mask(set), 0), () -> sql(r, op, columns, set.size()));
        PreparedStatement ps = cache.get(sql);
        int done = 0;
        while (done < rows.size()) {
            int end = end(rows, done, columns);
            for (int c = 0; c < columns.size(); c++) {
                ps.setObject(c + 1, new TextArray(rows, done, end, columns.get(c)));
            }
            int n = end - done;
            // the arrays are a copy of the rows' values, held by the batch until it is sent
            cache.add(r.qualified(), ps, n, bytes(rows, done, end, columns), () -> (op == 'V' ? "update" : "delete") + " of one of " + n
                    + " rows of " + r.display() + " by key", missing);
            done = end;
        }
    }

    /**
     * Where the statement starting at row {@code from} ends: at most {@link #MAX_ROWS} rows and about
     * {@link HeapBudget#STATEMENT_BYTES}, so wide rows make smaller statements.
     */
    private static int end(List<PgOutputMessage.Tuple> rows, int from, List<Integer> columns) {
        int end = from;
        long bytes = 0;
        while (end < rows.size() && end - from < MAX_ROWS && (bytes < HeapBudget.STATEMENT_BYTES || end == from)) {
            bytes += bytes(rows, end, end + 1, columns);
            end++;
        }
        return end;
    }

    /** The bytes of the arrays holding {@code columns} of {@code rows[from, to)}. */
    private static long bytes(List<PgOutputMessage.Tuple> rows, int from, int to, List<Integer> columns) {
        long bytes = 0;
        for (int k = from; k < to; k++) {
            for (int i : columns) {
                bytes += 4 + rows.get(k).length(i);
            }
        }
        return bytes;
    }

    /**
     * {@code UPDATE t SET c = v.p1::type ... FROM unnest($1::text[], ...) AS v(p0, ...) WHERE t.k = v.p0::type},
     * or the DELETE ... USING of the same: each value reaches its column's input function as the text sent.
     */
    static String sql(TargetRelation r, char op, List<Integer> columns, int setCount) {
        StringBuilder arrays = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            arrays.append(c == 0 ? "?::text[]" : ", ?::text[]");
            names.append(c == 0 ? "p0" : ", p" + c);
        }
        int keyCount = columns.size() - setCount;
        StringBuilder match = new StringBuilder();
        for (int c = 0; c < keyCount; c++) {
            match.append(c == 0 ? " WHERE " : " AND ").append("pgr_t.").append(r.column(columns.get(c)))
                    .append(" = pgr_v.p").append(c).append("::").append(r.type(columns.get(c)));
        }
        String source = "unnest(" + arrays + ") AS pgr_v(" + names + ")";
        if (op == 'X') {
            return "DELETE FROM " + r.only() + " AS pgr_t USING " + source + match;
        }
        StringBuilder sets = new StringBuilder();
        for (int c = keyCount; c < columns.size(); c++) {
            sets.append(c == keyCount ? "" : ", ").append(r.column(columns.get(c))).append(" = pgr_v.p").append(c)
                    .append("::").append(r.type(columns.get(c)));
        }
        return "UPDATE " + r.only() + " AS pgr_t SET " + sets + " FROM " + source + match;
    }

    private static List<Integer> keys(TargetRelation r) {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (r.isKey(i)) {
                keys.add(i);
            }
        }
        return keys;
    }
}
