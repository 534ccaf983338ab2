package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the trigger-suppression fallback took out of a target database while streaming, recorded in the
 * state schema of that database in the same transaction that took it out, so that whichever process ends
 * the migration (cutover, stop, failure, or a resumed run) puts back exactly that, and nothing else.
 */
final class SuspendedObjects {
    /** A user trigger that was disabled, or a foreign key that was dropped ({@code definition} to re-add it). */
    record Suspended(String kind, String schema, String table, String name, String definition) {
        static final String TRIGGER = "trigger";
        static final String FOREIGN_KEY = "foreign key";

        String qualifiedTable() {
            return Sql.qualified(schema, table);
        }

        String display() {
            return kind + " " + name + " on " + schema + "." + table;
        }
    }

    private final String schema;
    private final String table;

    SuspendedObjects(String stateSchema) {
        this.schema = stateSchema;
        this.table = Sql.qualified(stateSchema, "suspended");
    }

    String stateSchema() {
        return schema;
    }

    void record(Connection c, Suspended s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(schema));
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " (kind text NOT NULL, schema_name text NOT NULL, "
                    + "table_name text NOT NULL, name text NOT NULL, definition text, PRIMARY KEY (kind, schema_name, "
                    + "table_name, name))");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING")) {
            ps.setString(1, s.kind());
            ps.setString(2, s.schema());
            ps.setString(3, s.table());
            ps.setString(4, s.name());
            ps.setString(5, s.definition());
            ps.execute();
        }
    }

    /** Everything recorded, triggers first; empty when nothing was (or the table does not exist). */
    List<Suspended> read(Connection c) throws SQLException {
        List<Suspended> out = new ArrayList<>();
        if (!exists(c)) {
            return out;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT kind, schema_name, table_name, "
                + "name, definition FROM " + table + " ORDER BY kind DESC, schema_name, table_name, name")) {
            while (rs.next()) {
                out.add(new Suspended(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        return out;
    }

    void drop(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
