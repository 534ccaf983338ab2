package io.pgrelocate.core.internal;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.spi.PgErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the state's {@code database_status} table: one per migrated database, written by the running
 * process, read by any. Not thread-safe: one connection, used by one thread at a time.
 */
final class DatabaseStatusTable {
    private final Connection connection;
    private final String table;

    /** {@code table} is the table's qualified, quoted name. */
    DatabaseStatusTable(Connection connection, String table) {
        this.connection = connection;
        this.table = table;
    }

    void update(String id, DatabaseStatus s) {
        String sql = "UPDATE " + table + " SET phase = ?, tables_total = ?, tables_done = ?, "
                + "rows_copied = ?, bytes_copied = ?, last_applied_lsn = ?::pg_lsn, lag_bytes = ?, lag_seconds = ?, "
                + "error = ?, updated_at = ?, rows_planned = ?, bytes_planned = ?, earlier_at = ?, "
                + "earlier_bytes_copied = ?, earlier_lag_bytes = ? WHERE migration_id = ? AND database = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, s.phase().name());
            ps.setInt(2, s.tablesTotal());
            ps.setInt(3, s.tablesDone());
            ps.setLong(4, s.rowsCopied());
            ps.setLong(5, s.bytesCopied());
            ps.setString(6, s.lastAppliedLsn() == null ? null : s.lastAppliedLsn().toString());
            ps.setObject(7, s.lagBytes() < 0 ? null : s.lagBytes());
            ps.setObject(8, s.lagTime() == null ? null : s.lagTime().toMillis() / 1000.0);
            ps.setString(9, s.error());
            ps.setTimestamp(10, Timestamp.from(s.updatedAt()));
            ps.setObject(11, s.rowsPlanned() < 0 ? null : s.rowsPlanned());
            ps.setObject(12, s.bytesPlanned() < 0 ? null : s.bytesPlanned());
            DatabaseStatus.Reading earlier = s.earlier();
            ps.setTimestamp(13, earlier == null ? null : Timestamp.from(earlier.at()));
            ps.setObject(14, earlier == null ? null : earlier.bytesCopied());
            ps.setObject(15, earlier == null || earlier.lagBytes() < 0 ? null : earlier.lagBytes());
            ps.setString(16, id);
            ps.setString(17, s.database());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot update the status of database '" + s.database() + "'", e);
        }
    }

    List<DatabaseStatus> read(String id) {
        // the columns added in 0.1.0 are read through to_jsonb, so that a state schema without them reads too
        String sql = "SELECT database, phase, tables_total, tables_done, rows_copied, bytes_copied, "
                + "last_applied_lsn::text, lag_bytes, lag_seconds, error, updated_at, "
                + "(to_jsonb(d) ->> 'rows_planned')::bigint, (to_jsonb(d) ->> 'bytes_planned')::bigint, "
                + "(to_jsonb(d) ->> 'earlier_at')::timestamptz, (to_jsonb(d) ->> 'earlier_bytes_copied')::bigint, "
                + "(to_jsonb(d) ->> 'earlier_lag_bytes')::bigint FROM " + table
                + " d WHERE migration_id = ? ORDER BY database";
        List<DatabaseStatus> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String lsn = rs.getString(7);
                    long lagBytes = rs.getLong(8);
                    boolean noLag = rs.wasNull();
                    double lagSeconds = rs.getDouble(9);
                    boolean noLagTime = rs.wasNull();
                    out.add(new DatabaseStatus(rs.getString(1), Phase.valueOf(rs.getString(2)), rs.getInt(3),
                            rs.getInt(4), rs.getLong(5), rs.getLong(6), lsn == null ? null : Lsn.parse(lsn),
                            noLag ? -1 : lagBytes, noLagTime ? null : Duration.ofMillis((long) (lagSeconds * 1000)),
                            rs.getString(10), rs.getTimestamp(11).toInstant(), longOr(rs, 12), longOr(rs, 13),
                            earlier(rs)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the databases of migration '" + id + "'", e);
        }
    }

    private static long longOr(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? -1 : value;
    }

    private static DatabaseStatus.Reading earlier(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(14);
        return at == null ? null : new DatabaseStatus.Reading(at.toInstant(), longOr(rs, 15), longOr(rs, 16));
    }
}
