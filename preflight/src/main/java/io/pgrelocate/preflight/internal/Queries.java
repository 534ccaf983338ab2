package io.pgrelocate.preflight.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small read-only query helpers; every value that reaches SQL is a bind parameter. */
final class Queries {
    /** Schemas that never hold user data. */
    static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg\\_%'";
    /** Excludes objects that belong to an extension (the extension recreates them). */
    static final String NOT_EXTENSION_MEMBER = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
            + "'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

    private Queries() {
    }

    /** The first column of every row, as text. */
    static List<String> column(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        for (List<String> row : rows(c, sql, params)) {
            out.add(row.get(0));
        }
        return out;
    }

    static List<List<String>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<List<String>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    static String value(Connection c, String sql, Object... params) throws SQLException {
        List<String> col = column(c, sql, params);
        return col.isEmpty() ? null : col.get(0);
    }

    static boolean bool(Connection c, String sql, Object... params) throws SQLException {
        String v = value(c, sql, params);
        return "t".equals(v) || "true".equals(v);
    }

    /** Two-column rows as an ordered map. */
    static Map<String, String> map(Connection c, String sql, Object... params) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<String> row : rows(c, sql, params)) {
            out.put(row.get(0), row.get(1));
        }
        return out;
    }
}
