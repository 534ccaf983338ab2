package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationOutcome;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How finished migrations ended, one small row each in {@code <schema>.outcome}: it outlives the state
 * rows a completed or stopped run removes, so {@code status} and {@code cutover --wait} in another process
 * report "completed" rather than "no such migration" (or a race on a vanished table). Rows older than
 * {@link #KEPT} are pruned when the next run ends. Not thread-safe (one connection).
 */
public final class OutcomeStore {
    /** How long a finished migration's outcome stays readable. */
    public static final Duration KEPT = Duration.ofDays(30);

    private final Connection connection;
    private final String schema;

    public OutcomeStore(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    private String table() {
        return Sql.qualified(schema, "outcome");
    }

    void create() {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table() + " (id text PRIMARY KEY, mode text NOT NULL, "
                    + "state text NOT NULL, source text NOT NULL, started_at timestamptz NOT NULL, "
                    + "ended_at timestamptz NOT NULL, error text)");
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot set up the state schema " + schema + " on the target", e);
        }
    }

    /** Records how migration {@code s} ended, replacing an older outcome of the same id; prunes old rows. */
    void record(MigrationOutcome s) throws SQLException {
        String sql = "INSERT INTO " + table() + " (id, mode, state, source, started_at, ended_at, error) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, "
                + "state = excluded.state, source = excluded.source, started_at = excluded.started_at, "
                + "ended_at = excluded.ended_at, error = excluded.error";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, s.migrationId());
            ps.setString(2, s.mode().name());
            ps.setString(3, s.state().name());
            ps.setString(4, s.source());
            ps.setTimestamp(5, Timestamp.from(s.startedAt()));
            ps.setTimestamp(6, Timestamp.from(s.endedAt()));
            ps.setString(7, s.error());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table() + " WHERE ended_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(s.endedAt().minus(KEPT)));
            ps.executeUpdate();
        }
    }

    /** Forgets the outcome of an earlier run with this id, when a new run of it starts. */
    public void forget(String id) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table() + " WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot update the outcome of migration '" + id + "'", e);
        }
    }

    /** Every recorded outcome, oldest first; empty when the table does not exist. */
    public List<MigrationOutcome> outcomes() throws SQLException {
        List<MigrationOutcome> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return out;
                }
            }
        }
        String sql = "SELECT id, mode, state, source, started_at, ended_at, error FROM " + table()
                + " ORDER BY started_at";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new MigrationOutcome(rs.getString(1), Mode.valueOf(rs.getString(2)),
                        MigrationState.valueOf(rs.getString(3)), rs.getString(4), rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6).toInstant(), rs.getString(7)));
            }
        }
        return out;
    }
}
