package io.pgrelocate.core.internal;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
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
import java.util.Optional;

/**
 * The migration's state tables in the target's maintenance database: one row per migration, one per
 * database. Never holds a password. Not thread-safe: one connection, used by one thread at a time.
 */
public final class StateStore {
    private final Connection connection;
    private final String schema;

    public StateStore(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    private String table(String name) {
        return Sql.qualified(schema, name);
    }

    public boolean exists() {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table("migration"));
            ps.setString(2, table("database_status"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot look for the state schema " + schema, e);
        }
    }

    public void create() {
        execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(schema),
                "CREATE TABLE IF NOT EXISTS " + table("migration") + " (id text PRIMARY KEY, mode text NOT NULL, "
                        + "state text NOT NULL, source text NOT NULL, source_system_id text, "
                        + "started_at timestamptz NOT NULL, deadline timestamptz NOT NULL, requested_action text, "
                        + "error text, heartbeat_at timestamptz NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + table("database_status") + " (migration_id text NOT NULL REFERENCES "
                        + table("migration") + " ON DELETE CASCADE, database text NOT NULL, phase text NOT NULL, "
                        + "tables_total int NOT NULL DEFAULT 0, tables_done int NOT NULL DEFAULT 0, "
                        + "rows_copied bigint NOT NULL DEFAULT 0, bytes_copied bigint NOT NULL DEFAULT 0, "
                        + "last_applied_lsn pg_lsn, lag_bytes bigint, lag_seconds double precision, error text, "
                        + "updated_at timestamptz NOT NULL, PRIMARY KEY (migration_id, database))",
                // added after 0.1.0-SNAPSHOT state schemas existed: readers tolerate its absence
                "ALTER TABLE " + table("migration") + " ADD COLUMN IF NOT EXISTS heartbeat_interval_ms bigint",
                // added in 0.1.0 (the copy's estimates and an earlier reading, for rates and an ETA): a resumed
                // run adds them to an older state schema here, and readers tolerate their absence
                "ALTER TABLE " + table("database_status") + " ADD COLUMN IF NOT EXISTS rows_planned bigint, "
                        + "ADD COLUMN IF NOT EXISTS bytes_planned bigint, ADD COLUMN IF NOT EXISTS earlier_at "
                        + "timestamptz, ADD COLUMN IF NOT EXISTS earlier_bytes_copied bigint, "
                        + "ADD COLUMN IF NOT EXISTS earlier_lag_bytes bigint");
        new OutcomeStore(connection, schema).create();
    }

    /** Records how often this run writes its heartbeat, so readers can tell a missed one at once. */
    public void recordHeartbeatInterval(String id, Duration interval) {
        String sql = "UPDATE " + table("migration") + " SET heartbeat_interval_ms = ? WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, interval.toMillis());
            ps.setString(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot update migration '" + id + "'", e);
        }
    }

    /**
     * Whether a process holds migration {@code id}'s lock (see {@link #tryLock}): read from pg_locks, so
     * a reader never takes the lock itself and never gets in the way of a process starting the run.
     */
    public boolean isLocked(String id) {
        String sql = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND ((classid::bigint << 32) | objid::bigint) = hashtext(?)::bigint)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, lockKey(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot look for the lock of migration '" + id + "'", e);
        }
    }

    private String lockKey(String id) {
        return "pgrelocate/" + schema + "/" + id;
    }

    /**
     * Takes the session-level advisory lock that marks migration {@code id} as running in this process.
     * Held until the connection closes.
     */
    public boolean tryLock(String id) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, lockKey(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot take the lock of migration '" + id + "'", e);
        }
    }

    /** The backend holding the lock of migration {@code id} (see {@link #tryLock}), if one does. */
    public Optional<Integer> lockHolder(String id) {
        // an advisory lock on a bigint key shows in pg_locks as its high (classid) and low (objid) 32 bits
        String sql = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND ((classid::bigint << 32) | objid::bigint) = hashtext(?)::bigint";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, "pgrelocate/" + schema + "/" + id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot find the holder of the lock of migration '" + id + "'", e);
        }
    }

    /** Removes the state schema, when a migration has ended and its state need not be kept. */
    public void drop() {
        execute("DROP SCHEMA IF EXISTS " + Sql.ident(schema) + " CASCADE");
    }

    /** Removes the state tables once no migration is left in them; the outcome table stays. */
    public void dropStateTables() {
        execute("DROP TABLE IF EXISTS " + table("database_status") + ", " + table("migration"));
    }

    public record StoredMigration(String id, Mode mode, MigrationState state, String source, String sourceSystemId,
                                  Instant startedAt, Instant deadline) {
    }

    public Optional<StoredMigration> find(String id) {
        if (!exists()) {
            return Optional.empty();
        }
        String sql = "SELECT id, mode, state, source, source_system_id, started_at, deadline FROM "
                + table("migration") + " WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredMigration(rs.getString(1), Mode.valueOf(rs.getString(2)),
                        MigrationState.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()));
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read migration '" + id + "' from the state tables", e);
        }
    }

    public void insert(StoredMigration m, List<String> databases, Instant now) {
        String sql = "INSERT INTO " + table("migration") + " (id, mode, state, source, source_system_id, started_at, "
                + "deadline, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, m.id());
            ps.setString(2, m.mode().name());
            ps.setString(3, m.state().name());
            ps.setString(4, m.source());
            ps.setString(5, m.sourceSystemId());
            ps.setTimestamp(6, Timestamp.from(m.startedAt()));
            ps.setTimestamp(7, Timestamp.from(m.deadline()));
            ps.setTimestamp(8, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot record migration '" + m.id() + "'", e);
        }
        ensureDatabases(m.id(), databases, now);
    }

    public void ensureDatabases(String id, List<String> databases, Instant now) {
        String sql = "INSERT INTO " + table("database_status") + " (migration_id, database, phase, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (String db : databases) {
                ps.setString(1, id);
                ps.setString(2, db);
                ps.setString(3, Phase.PENDING.name());
                ps.setTimestamp(4, Timestamp.from(now));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot record the databases of migration '" + id + "'", e);
        }
    }

    public void updateMigration(String id, MigrationState state, String error, Instant now) {
        String sql = "UPDATE " + table("migration") + " SET state = ?, error = ?, heartbeat_at = ? WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, state.name());
            ps.setString(2, error);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot update migration '" + id + "'", e);
        }
    }

    public void updateDatabase(String id, DatabaseStatus s) {
        new DatabaseStatusTable(connection, table("database_status")).update(id, s);
    }

    /** The requested action of a cutover that also compares every table's rows. */
    public static final String VERIFIED_CUTOVER = "cutover-verify";

    /** Sets the action another process asks for: {@code stop}, {@code cutover} or {@link #VERIFIED_CUTOVER}. */
    public boolean requestAction(String id, String action) {
        String sql = "UPDATE " + table("migration") + " SET requested_action = ? WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, action);
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot request " + action + " of migration '" + id + "'", e);
        }
    }

    public Optional<String> requestedAction(String id) {
        String sql = "SELECT requested_action FROM " + table("migration") + " WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the requested action of '" + id + "'", e);
        }
    }

    public void clearRequestedAction(String id) {
        requestAction(id, null);
    }

    public void deleteMigration(String id) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table("migration") + " WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot delete migration '" + id + "'", e);
        }
    }

    public boolean isEmpty() {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table("migration"))) {
            rs.next();
            return rs.getLong(1) == 0;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot count migrations", e);
        }
    }

    /** Every stored migration with its databases; empty when there is no state schema. */
    public List<MigrationStatus> statuses() {
        if (!exists()) {
            return List.of();
        }
        List<MigrationStatus> out = new ArrayList<>();
        String sql = "SELECT id, mode, state, source, started_at, deadline, requested_action, error, heartbeat_at FROM "
                + table("migration") + " ORDER BY started_at";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String id = rs.getString(1);
                out.add(new MigrationStatus(id, Mode.valueOf(rs.getString(2)), MigrationState.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
                        rs.getString(7), rs.getString(8), List.of()));
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the migrations", e);
        }
        List<MigrationStatus> full = new ArrayList<>();
        for (MigrationStatus m : out) {
            full.add(new MigrationStatus(m.migrationId(), m.mode(), m.state(), m.source(), m.startedAt(), m.deadline(),
                    m.requestedAction(), m.error(), databases(m.migrationId())));
        }
        return full;
    }

    /** When the running process last wrote its heartbeat. */
    public Optional<Instant> heartbeat(String id) {
        String sql = "SELECT heartbeat_at FROM " + table("migration") + " WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the heartbeat of '" + id + "'", e);
        }
    }

    /** The heartbeat interval the running process recorded; empty for state tables older than the column. */
    public Optional<Duration> heartbeatInterval(String id) {
        String sql = "SELECT to_jsonb(m) ->> 'heartbeat_interval_ms' FROM " + table("migration") + " m WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                String ms = rs.next() ? rs.getString(1) : null;
                return ms == null ? Optional.empty() : Optional.of(Duration.ofMillis(Long.parseLong(ms)));
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the heartbeat of '" + id + "'", e);
        }
    }

    public List<DatabaseStatus> databases(String id) {
        return new DatabaseStatusTable(connection, table("database_status")).read(id);
    }

    private void execute(String... statements) {
        try (Statement st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot set up the state schema " + schema + " on the target", e);
        }
    }
}
