package io.pgrelocate.replication.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps target triggers (user and foreign-key triggers) from firing on replicated changes, so a trigger
 * that stamps {@code last_updated} never rewrites a replicated value. The way: {@code SET
 * session_replication_role = replica} on the apply session (superuser, or on 15+ a role granted SET on
 * that parameter). Fallback when that is refused: disable the user triggers of every table (needs table
 * ownership) until the stream ends; foreign keys then stay checked, which source-order apply satisfies.
 */
public final class TriggerSuppression {
    private static final Logger log = LoggerFactory.getLogger(TriggerSuppression.class);

    private final List<String> disabledTables = new ArrayList<>();
    private boolean fallback;

    /** Applies the suppression on the apply connection (autocommit off; the caller commits). */
    public synchronized void apply(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SAVEPOINT role");
            try {
                st.execute("SET session_replication_role = replica");
                st.execute("RELEASE SAVEPOINT role");
                return;
            } catch (SQLException e) {
                st.execute("ROLLBACK TO SAVEPOINT role");
                log.warn("cannot SET session_replication_role = replica on the target ({}); disabling user "
                        + "triggers per table instead", e.getMessage());
            }
            fallback = true;
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT format('%I.%I', n.nspname, c.relname) FROM pg_trigger t "
                    + "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE NOT t.tgisinternal AND t.tgenabled = 'O' AND t.tgparentid = 0")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                st.execute("ALTER TABLE " + t + " DISABLE TRIGGER USER");
                disabledTables.add(t);
            }
        }
    }

    /** Re-enables what the fallback disabled; autocommit connection to the same database. */
    public synchronized void restore(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String t : disabledTables) {
                st.execute("ALTER TABLE " + t + " ENABLE TRIGGER USER");
            }
        }
        disabledTables.clear();
    }

    public boolean usesFallback() {
        return fallback;
    }

}
