package io.pgrelocate.core.spi;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Turns {@link SQLException}s into {@link PgRelocateException}s whose message says what to do. */
public final class PgErrors {
    private PgErrors() {
    }

    /** A failure to connect to {@code role} ("source"/"target") at {@code endpoint}. */
    public static PgRelocateException connectFailed(String role, Endpoint endpoint, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = role + " " + endpoint.display();
        String reason = firstLine(e.getMessage());
        if (state.equals("28P01") || state.equals("28000")) {
            return new PgRelocateException(ErrorCode.AUTHENTICATION_FAILED, "cannot log in to " + where + ": "
                    + reason + "; check the user and password (URI, PGPASSWORD or ~/.pgpass) and pg_hba.conf", e);
        }
        if (reason.contains("no password was provided")) {
            // pgjdbc reports it as a rejected connection (08004); it is a missing credential
            return new PgRelocateException(ErrorCode.AUTHENTICATION_FAILED, "cannot log in to " + where
                    + ": the server asks for a password and none was given; put it in the URI, PGPASSWORD, "
                    + "~/.pgpass or a password file", e);
        }
        if (state.equals("3D000")) {
            return new PgRelocateException(ErrorCode.DATABASE_NOT_FOUND, "database '" + endpoint.database()
                    + "' does not exist on " + role + " " + endpoint.display(), e);
        }
        if (state.equals("42501")) {
            return new PgRelocateException(ErrorCode.PERMISSION_DENIED, "not allowed to connect to " + where + ": "
                    + reason + "; GRANT CONNECT ON DATABASE (or the REPLICATION attribute) to the user", e);
        }
        Throwable root = rootCause(e);
        String hint;
        if (root instanceof UnknownHostException) {
            hint = "unknown host '" + endpoint.host() + "'";
        } else if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            hint = "nothing accepts connections at " + endpoint.host() + ":" + endpoint.port()
                    + "; check the host, the port, listen_addresses and firewalls";
        } else if (root instanceof SocketTimeoutException) {
            hint = "timed out reaching " + endpoint.host() + ":" + endpoint.port() + "; check the network path";
        } else {
            hint = reason;
        }
        return new PgRelocateException(ErrorCode.CONNECTION_FAILED, "cannot connect to " + where + ": " + hint, e);
    }

    /** A failed statement: {@code what} says what was being done, on which object. */
    public static PgRelocateException failed(ErrorCode code, String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
        return new PgRelocateException(code, what + ": " + firstLine(e.getMessage()) + state, e);
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cur = t;
        while (cur.getCause() != null && cur.getCause() != cur) {
            cur = cur.getCause();
        }
        return cur;
    }
}
