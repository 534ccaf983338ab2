package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns a "permission denied" on the state tables (a state schema another role owns, left by a run under
 * that role) into a message naming the owner and the fix.
 */
public final class StateSchemaAccess {
    private StateSchemaAccess() {
    }

    /** The exception for {@code cause}, a permission error reading or writing {@code schema}. */
    public static PgRelocateException denied(Connection c, String schema, PgRelocateException cause) {
        String owner = "another role";
        String me = "the current user";
        try (PreparedStatement ps = c.prepareStatement("SELECT current_user, (SELECT pg_get_userbyid(nspowner) "
                + "FROM pg_namespace WHERE nspname = ?)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    me = rs.getString(1);
                    owner = rs.getString(2) == null ? owner : rs.getString(2);
                }
            }
        } catch (SQLException ignored) {
            // the message below still says what to do, without the names
        }
        return new PgRelocateException(ErrorCode.PERMISSION_DENIED, message(schema, owner, me), cause);
    }

    /** What to tell a user {@code me} who cannot use state schema {@code schema} owned by {@code owner}. */
    public static String message(String schema, String owner, String me) {
        return "the state schema " + schema + " on the target belongs to role " + owner + ", and role " + me
                + " may not use it; as a superuser run: " + fix(schema, owner, me) + " (or use another state schema, "
                + "--state-schema NAME)";
    }

    /** The SQL that lets {@code me} use the schema, or removes a leftover one. */
    public static String fix(String schema, String owner, String me) {
        return "GRANT " + Sql.ident(owner) + " TO " + Sql.ident(me) + ";   -- or, if no migration of " + owner
                + " is running: DROP SCHEMA " + Sql.ident(schema) + " CASCADE;";
    }
}
