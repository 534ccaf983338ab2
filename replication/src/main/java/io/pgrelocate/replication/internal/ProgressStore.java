package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The progress row in a migrated target database: the commit LSN of the last source transaction applied,
 * written in the same target transaction as the changes it covers. That is what makes apply exactly-once
 * across crashes.
 */
public final class ProgressStore {
    private final String schema;
    private final String table;

    public ProgressStore(String stateSchema) {
        this.schema = stateSchema;
        this.table = Sql.qualified(stateSchema, "progress");
    }

    /** Creates the table and the slot's row (at 0/0: nothing applied yet). Autocommit connection. */
    public void create(Connection c, String slot) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(schema));
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " (slot_name text PRIMARY KEY, "
                    + "last_commit_lsn pg_lsn NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (slot_name, last_commit_lsn) "
                + "VALUES (?, '0/0') ON CONFLICT (slot_name) DO NOTHING")) {
            ps.setString(1, slot);
            ps.execute();
        }
    }

    /** The stored LSN, or empty when this database has no progress row (its copy never finished). */
    public Optional<Lsn> read(Connection c, String slot) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT last_commit_lsn::text FROM " + table
                + " WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Lsn.parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** A statement that records {@code lsn}; run inside the apply transaction. */
    public PreparedStatement prepareUpdate(Connection c, String slot) throws SQLException {
        PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET last_commit_lsn = ?::pg_lsn, "
                + "updated_at = now() WHERE slot_name = ?");
        ps.setString(2, slot);
        return ps;
    }

    /**
     * Removes the progress table once the migration of this database is over, and the schema if nothing
     * else is in it (in the maintenance database it also holds the migration's own state).
     */
    public void drop(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class WHERE relnamespace = "
                    + "(SELECT oid FROM pg_namespace WHERE nspname = " + Sql.literal(schema) + ")")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    st.execute("DROP SCHEMA IF EXISTS " + Sql.ident(schema));
                }
            }
        }
    }
}
