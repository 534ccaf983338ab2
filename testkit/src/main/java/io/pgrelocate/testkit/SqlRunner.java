package io.pgrelocate.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small SQL helpers for tests; every call opens and closes its own connection. */
public interface SqlRunner {
    Connection connect(String database) throws SQLException;

    /** Runs each statement in turn, autocommit. */
    default void execute(String database, String... statements) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query, each as a list of column values (JDBC objects). */
    default List<List<Object>> query(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + database + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row, as text. */
    default List<String> queryColumn(String database, String sql) {
        return query(database, sql).stream().map(r -> r.get(0) == null ? null : r.get(0).toString()).toList();
    }

    /** The single value of a one-row, one-column query, as text (null for SQL NULL or no row). */
    default String queryValue(String database, String sql) {
        List<String> col = queryColumn(database, sql);
        return col.isEmpty() ? null : col.get(0);
    }

    default long queryLong(String database, String sql) {
        return Long.parseLong(queryValue(database, sql));
    }

    default boolean databaseExists(String database) {
        return "t".equals(queryValue("postgres", "SELECT (count(*) > 0)::text::char FROM pg_database WHERE datname = "
                + io.pgrelocate.core.spi.Sql.literal(database)));
    }

    /** Drops a database if it exists, disconnecting its sessions first. */
    default void dropDatabase(String database) {
        execute("postgres", "DROP DATABASE IF EXISTS " + io.pgrelocate.core.spi.Sql.ident(database) + " WITH (FORCE)");
    }

    default void createDatabase(String database) {
        execute("postgres", "CREATE DATABASE " + io.pgrelocate.core.spi.Sql.ident(database));
    }
}
