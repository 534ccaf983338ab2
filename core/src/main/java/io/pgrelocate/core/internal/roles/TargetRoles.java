package io.pgrelocate.core.internal.roles;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * What the target allows the migration role to do with roles: the roles it has, and the migration role's own
 * attributes (a role without superuser grants only what its major lets CREATEROLE grant).
 *
 * @param bootstrapSuperuser the role initdb made (oid 10), never touched
 * @param settings           the parameters the target knows, lower-case
 */
public record TargetRoles(Set<String> existing, int major, boolean superuser, boolean createRole, boolean createDb,
                          boolean replication, boolean bypassRls, String bootstrapSuperuser, Set<String> settings) {
    public TargetRoles {
        existing = Set.copyOf(existing);
        settings = Set.copyOf(settings);
    }

    /** Reads the target through {@code c} (any database). */
    public static TargetRoles read(Connection c) throws SQLException {
        Set<String> existing = new HashSet<>();
        Set<String> settings = new HashSet<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles")) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT lower(name) FROM pg_settings")) {
                while (rs.next()) {
                    settings.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int / 10000, "
                    + "rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, "
                    + "(SELECT rolname FROM pg_roles WHERE oid = 10) FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                return new TargetRoles(existing, rs.getInt(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getBoolean(6), rs.getString(7), settings);
            }
        }
    }
}
