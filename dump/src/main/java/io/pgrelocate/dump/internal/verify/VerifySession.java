package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the connections verify reads through, with the same output settings on both servers, so that
 * what each server prints (catalog definitions, row text) depends on the data and not on the session.
 */
final class VerifySession {
    /**
     * search_path = pg_catalog makes every pg_get_*def and format_type qualify user names the same way on
     * both sides; the others fix the text form of dates, times, intervals, floats, bytea and money, whose
     * defaults may come from each server's or role's configuration.
     */
    private static final String[] SETTINGS = {
        "SET search_path = pg_catalog",
        "SET DateStyle = 'ISO, YMD'",
        "SET IntervalStyle = postgres",
        "SET TimeZone = 'UTC'",
        "SET extra_float_digits = 1",
        "SET bytea_output = hex",
        "SET lc_monetary = 'C'",
        "SET statement_timeout = 0",
    };

    private VerifySession() {
    }

    static Connection open(PgConnector server, String database) {
        Connection c = server.open(database, "verify");
        try (Statement st = c.createStatement()) {
            for (String sql : SETTINGS) {
                st.execute(sql);
            }
            return c;
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot prepare a verify session on the " + server.role()
                    + " database " + database, e);
        }
    }
}
