package io.pgrelocate.dump.internal;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Ending work on a server session without waiting on it: a cancel request goes over a connection of its own,
 * and an abort closes the socket, so neither blocks behind a COPY or a statement in flight (a rollback on a
 * connection still inside a COPY waits forever).
 */
final class Sessions {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private Sessions() {
    }

    /** Asks the server to cancel what {@code st} runs. */
    static void cancel(Statement st) {
        try {
            st.cancel();
        } catch (SQLException | RuntimeException e) {
            log.debug("cannot cancel a statement: {}", e.toString());
        }
    }

    /** Asks the server to cancel what {@code c} runs, a COPY included. */
    static void cancel(Connection c) {
        try {
            c.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException | RuntimeException e) {
            log.debug("cannot cancel a query: {}", e.toString());
        }
    }

    /**
     * Cancels what {@code c} runs and closes its socket at once, after a failure that may have left its protocol
     * state unknown (an OutOfMemoryError halfway through a message): the server then rolls back and ends the
     * session by itself.
     */
    static void abort(Connection c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isClosed()) {
                return;
            }
        } catch (SQLException e) {
            return;
        }
        cancel(c);
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("cannot abort a connection: {}", e.toString());
        }
    }
}
