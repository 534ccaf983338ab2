package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts and updates whose new row holds a value in a file ({@link SpilledValue}), one statement each, run at
 * once: the value is bound as a stream of its length, which pgjdbc copies to the socket without holding it, and
 * the server reads it back as the text pgoutput sent ({@code convert_from(?, 'UTF8')::type}, the same input
 * function as an untyped text parameter). A huge value that must find the row (a key, or an old row under
 * REPLICA IDENTITY FULL) is refused, naming table and column: it would have to be compared, not just written.
 * Not thread-safe.
 */
final class SpilledRows {
    private final Connection connection;
    private final StatementCache.MissingRow missing;

    SpilledRows(Connection connection, StatementCache.MissingRow missing) {
        this.connection = connection;
        this.missing = missing;
    }

    void insert(TargetRelation r, PgOutputMessage.Tuple row) throws SQLException {
        StringBuilder cols = new StringBuilder();
        StringBuilder params = new StringBuilder();
        List<Integer> bound = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            cols.append(i == 0 ? "" : ", ").append(r.column(i));
            params.append(i == 0 ? "" : ", ").append(param(r, row, i));
            bound.add(i);
        }
        String sql = "INSERT INTO " + r.qualified() + " (" + cols + ") OVERRIDING SYSTEM VALUE VALUES (" + params + ")";
        run(sql, row, bound, null, List.of(), "insert into " + r.display(), false);
    }

    void update(TargetRelation r, PgOutputMessage.Update u) throws SQLException {
        PgOutputMessage.Tuple row = u.row();
        PgOutputMessage.Tuple old = u.old() != null ? u.old() : row;
        boolean keyUnchanged = u.old() == null;
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (!row.unchanged()[i] && !(keyUnchanged && r.isKey(i))) {
                set.add(i);
            }
        }
        boolean byKey = !u.oldIsFullRow() && r.hasKey();
        List<Integer> where = RowStatements.whereColumns(r, old, byKey);
        for (int i : where) {
            if (old.spilled(i) != null) {
                throw refused(r, i, byKey ? "a key" : "the old row of a table with REPLICA IDENTITY FULL");
            }
        }
        if (set.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("UPDATE ").append(r.only()).append(" SET ");
        for (int k = 0; k < set.size(); k++) {
            int i = set.get(k);
            sql.append(k == 0 ? "" : ", ").append(r.column(i)).append(" = ").append(param(r, row, i));
        }
        sql.append(RowStatements.whereSql(r, where, byKey));
        run(sql.toString(), row, set, old, where, "update of a row of " + r.qualified() + " by "
                + (byKey ? "key" : "all its columns"), true);
    }

    /** A delete finds its row by the old values only: a spilled one cannot be compared. */
    void delete(TargetRelation r, PgOutputMessage.Delete d) {
        int i = 0;
        while (i < r.size() - 1 && d.old().spilled(i) == null) {
            i++;
        }
        throw refused(r, i, d.oldIsFullRow() ? "the old row of a table with REPLICA IDENTITY FULL" : "a key");
    }

    private static String param(TargetRelation r, PgOutputMessage.Tuple row, int i) {
        return row.spilled(i) == null ? "?" : "convert_from(?, 'UTF8')::" + r.type(i);
    }

    private void run(String sql, PgOutputMessage.Tuple row, List<Integer> values, PgOutputMessage.Tuple old,
                     List<Integer> keys, String description, boolean mustTouchRow) throws SQLException {
        List<InputStream> streams = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int p = 1;
            for (int i : values) {
                p = bind(ps, p, row, i, streams);
            }
            for (int i : keys) {
                p = bind(ps, p, old, i, streams);
            }
            int count = ps.executeUpdate();
            if (mustTouchRow && count == 0) {
                missing.report(description);
            }
        } finally {
            for (InputStream in : streams) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // a file about to be deleted
                }
            }
        }
    }

    private static int bind(PreparedStatement ps, int p, PgOutputMessage.Tuple row, int i, List<InputStream> streams)
            throws SQLException {
        SpilledValue file = row.spilled(i);
        if (file != null) {
            InputStream in = file.open();
            streams.add(in);
            ps.setBinaryStream(p, in, file.length());
        } else if (row.value(i) == null) {
            ps.setNull(p, Types.OTHER);
        } else {
            ps.setString(p, row.value(i));
        }
        return p + 1;
    }

    private static PgRelocateException refused(TargetRelation r, int column, String role) {
        return new PgRelocateException(ErrorCode.REPLICATION_FAILED, "a value of column " + r.column(column)
                + " of table " + r.display() + " is too big to hold in memory (over "
                + (XLogPayload.OLD_SPILL_BYTES >> 20) + " MB), and it is " + role + ", which the apply must compare "
                + "rather than write: such a value cannot be streamed. Give the table a replica identity of small values (a "
                + "primary key, or REPLICA IDENTITY USING INDEX) and migrate this database again");
    }
}
