package io.pgrelocate.core.spi;

import io.pgrelocate.core.ErrorCode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads what a server is and which databases it holds. Stateless and thread-safe. */
public final class ClusterInspector {
    private ClusterInspector() {
    }

    public static ServerInfo server(Connection c) {
        String sql = "SELECT current_setting('server_version_num')::int, version(), "
                + "(SELECT system_identifier::text FROM pg_control_system()), current_user, "
                + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), current_setting('wal_level')";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new ServerInfo(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                    rs.getString(6));
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return serverWithoutControlData(c);
            }
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the server's version and settings", e);
        }
    }

    // pg_control_system() may be revoked from non-superusers on managed services
    private static ServerInfo serverWithoutControlData(Connection c) {
        String sql = "SELECT current_setting('server_version_num')::int, version(), NULL, current_user, "
                + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), current_setting('wal_level')";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new ServerInfo(rs.getInt(1), rs.getString(2), null, rs.getString(4), rs.getBoolean(5),
                    rs.getString(6));
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the server's version and settings", e);
        }
    }

    /** Every database of the cluster, templates included, by name. */
    public static List<DatabaseInfo> databases(Connection c) {
        int version = versionNum(c);
        String provider = version >= 150000 ? "d.datlocprovider::text" : "'c'";
        String locale = version >= 170000 ? "d.datlocale" : version >= 150000 ? "d.daticulocale" : "NULL";
        String sql = "SELECT d.datname, pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate, "
                + "d.datctype, " + provider + ", " + locale + ", d.datistemplate, d.datallowconn "
                + "FROM pg_database d ORDER BY d.datname";
        List<DatabaseInfo> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new DatabaseInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9)));
            }
            return out;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot list the databases", e);
        }
    }

    public static int versionNum(Connection c) {
        int reported = reportedVersionNum(c);
        if (reported > 0) {
            return reported;
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read server_version_num", e);
        }
    }

    /**
     * {@code server_version_num} from the {@code server_version} the server reported when the session started
     * ({@code 15.13 (Debian ...)}, {@code 18beta1}), without a round trip; 0 where that form does not give it (before
     * 10, or a connection that is not pgjdbc's).
     */
    static int reportedVersionNum(Connection c) {
        try {
            return parseVersionNum(c.unwrap(org.postgresql.PGConnection.class).getParameterStatus("server_version"));
        } catch (SQLException | RuntimeException e) {
            return 0;
        }
    }

    /** {@code server_version_num} of a {@code server_version} string, or 0 if it is null or before 10. */
    static int parseVersionNum(String serverVersion) {
        java.util.regex.Matcher m = serverVersion == null ? null
                : java.util.regex.Pattern.compile("^(\\d+)(?:\\.(\\d+))?").matcher(serverVersion);
        if (m == null || !m.find() || Integer.parseInt(m.group(1)) < 10) {
            return 0;
        }
        return Integer.parseInt(m.group(1)) * 10000 + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }
}
