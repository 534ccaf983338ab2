package io.pgrelocate.replication.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UPDATEs and DELETEs of many rows, found by key, as one statement joining a {@code VALUES} list: one
 * executor run instead of one per row, which is most of what separates a SQL apply from native logical
 * replication's direct heap access. Only for collapsed changes, where each key occurs once. The first row's
 * parameters are cast to the target column types (the rest follow them); statements are sized in powers of
 * two, so a few texts per table shape are prepared and reused. Not thread-safe.
 */
final class MultiRowStatements {
    private static final int MAX_ROWS = 256;
    private static final int MAX_PARAMETERS = 30_000;

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
        for (PgOutputMessage.Tuple row : rows) {
            List<Integer> set = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                if (!row.unchanged()[i] && !r.isKey(i)) {
                    set.add(i);
                }
            }
            if (!set.isEmpty()) {
                byShape.computeIfAbsent(set, k -> new ArrayList<>()).add(row);
            }
        }
        for (Map.Entry<List<Integer>, List<PgOutputMessage.Tuple>> e : byShape.entrySet()) {
            run(r, 'V', e.getKey(), e.getValue(), single);
        }
    }

    /** Deletes the rows named by {@code keys}. */
    void delete(TargetRelation r, List<PgOutputMessage.Tuple> keys, RowByRow single) throws SQLException {
        run(r, 'X', List.of(), keys, single);
    }

    private void run(TargetRelation r, char op, List<Integer> set, List<PgOutputMessage.Tuple> rows, RowByRow single)
            throws SQLException {
        List<Integer> columns = new ArrayList<>(keys(r));
        columns.addAll(set);
        long mask = mask(set);
        int max = Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / columns.size()));
        int done = 0;
        while (done < rows.size()) {
            int n = Integer.highestOneBit(Math.min(max, rows.size() - done));
            if (n == 1) {
                single.apply(rows.get(done++));
                continue;
            }
            String sql = r.sql(new TargetRelation.Shape(op, true, mask, n), () -> sql(r, op, columns, set.size(), n));
            PreparedStatement ps = cache.get(sql);
            int p = 1;
            for (int k = done; k < done + n; k++) {
                for (int i : columns) {
                    String v = rows.get(k).values()[i];
                    if (v == null) {
                        ps.setNull(p++, java.sql.Types.OTHER);
                    } else {
                        ps.setString(p++, v);
                    }
                }
            }
            int rowsInStatement = n;
            cache.add(r.qualified(), ps, n, () -> (op == 'V' ? "update" : "delete") + " of one of " + rowsInStatement
                    + " rows of " + r.display() + " by key", missing);
            done += n;
        }
    }

    private static String sql(TargetRelation r, char op, List<Integer> columns, int setCount, int n) {
        StringBuilder values = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int k = 0; k < n; k++) {
            values.append(k == 0 ? "(" : ", (");
            for (int c = 0; c < columns.size(); c++) {
                values.append(c == 0 ? "?" : ", ?");
                if (k == 0) {
                    values.append("::").append(r.type(columns.get(c)));
                    names.append(c == 0 ? "p0" : ", p" + c);
                }
            }
            values.append(')');
        }
        int keyCount = columns.size() - setCount;
        StringBuilder match = new StringBuilder();
        for (int c = 0; c < keyCount; c++) {
            match.append(c == 0 ? " WHERE " : " AND ").append("pgr_t.").append(r.column(columns.get(c)))
                    .append(" = pgr_v.p").append(c);
        }
        String source = "(VALUES " + values + ") AS pgr_v(" + names + ")";
        if (op == 'X') {
            return "DELETE FROM " + r.only() + " AS pgr_t USING " + source + match;
        }
        StringBuilder sets = new StringBuilder();
        for (int c = keyCount; c < columns.size(); c++) {
            sets.append(c == keyCount ? "" : ", ").append(r.column(columns.get(c))).append(" = pgr_v.p").append(c);
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

    /** The set columns as a bit set; -1 (never cached) past 63 columns. */
    private static long mask(List<Integer> columns) {
        long m = 0;
        for (int i : columns) {
            if (i >= 63) {
                return -1;
            }
            m |= 1L << i;
        }
        return m;
    }
}
