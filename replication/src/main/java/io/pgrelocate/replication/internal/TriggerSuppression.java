package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.replication.internal.SuspendedObjects.Suspended;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps target triggers (user and foreign-key triggers) from firing on replicated changes, so a trigger
 * that stamps {@code last_updated} never rewrites a replicated value and a cascading foreign key never
 * deletes a row the stream deletes next. The way: {@code SET session_replication_role = replica} on the
 * apply session (superuser, or on 15+ a role granted SET on that parameter).
 *
 * <p>Fallback when that is refused (managed services on 14, or no grant): for every table the apply role
 * owns, disable each enabled user trigger ({@code ENABLE ALWAYS} and {@code ENABLE REPLICA} ones stay, as
 * they would fire under the replica role too) and drop each foreign key, whose triggers only a superuser
 * may disable. Both are recorded in the target database ({@link SuspendedObjects}) in the same transaction,
 * and {@link #restore} puts them back at cutover, stop or failure: triggers enabled again, foreign keys
 * added again (validated against the migrated rows). Triggers and foreign keys of tables the role does not
 * own stay in force, with a warning naming each. Thread-safe.
 */
public final class TriggerSuppression {
    private static final Logger log = LoggerFactory.getLogger(TriggerSuppression.class);
    private static final String USER_TABLE = " AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname <> ? AND NOT EXISTS (SELECT 1 FROM pg_depend d "
            + "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

    private final SuspendedObjects suspended;
    private final Consumer<String> warn;
    private final Set<String> warned = new HashSet<>();
    private volatile boolean fallback;

    /** {@code warn} hears, once each, of every trigger or foreign key the fallback cannot take out. */
    public TriggerSuppression(String stateSchema, Consumer<String> warn) {
        this.suspended = new SuspendedObjects(stateSchema);
        this.warn = warn;
    }

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
                if (!fallback) {
                    log.warn("cannot SET session_replication_role = replica on the target ({}); disabling the user "
                            + "triggers and dropping the foreign keys of the tables the apply role owns until the "
                            + "stream ends", e.getMessage());
                }
            }
        }
        fallback = true;
        int triggers = disableTriggers(c);
        int keys = dropForeignKeys(c);
        if (triggers + keys > 0) {
            log.info("{} trigger(s) disabled and {} foreign key(s) dropped on the target until cutover", triggers, keys);
        }
    }

    private int disableTriggers(Connection c) throws SQLException {
        String sql = "SELECT n.nspname, c.relname, t.tgname, pg_has_role(c.relowner, 'USAGE') FROM pg_trigger t "
                + "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE NOT t.tgisinternal AND t.tgenabled = 'O'" + USER_TABLE + " ORDER BY 1, 2, 3";
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql); Statement st = c.createStatement()) {
            ps.setString(1, suspended.stateSchema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Suspended s = new Suspended(Suspended.TRIGGER, rs.getString(1), rs.getString(2), rs.getString(3), null);
                    if (!rs.getBoolean(4)) {
                        warnOnce(s.display() + " stays enabled while streaming: the apply role does not own the table, "
                                + "so it fires on every replicated change");
                        continue;
                    }
                    // ONLY: a partition's clone of a parent's trigger is a row of its own, taken out by itself
                    st.execute("ALTER TABLE ONLY " + s.qualifiedTable() + " DISABLE TRIGGER " + Sql.ident(s.name()));
                    suspended.record(c, s);
                    n++;
                }
            }
        }
        return n;
    }

    private int dropForeignKeys(Connection c) throws SQLException {
        String sql = "SELECT n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid), "
                + "pg_has_role(c.relowner, 'USAGE') AND pg_has_role(r.relowner, 'USAGE') FROM pg_constraint k "
                + "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "JOIN pg_class r ON r.oid = k.confrelid WHERE k.contype = 'f' AND k.conparentid = 0" + USER_TABLE
                + " ORDER BY 1, 2, 3";
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql); Statement st = c.createStatement()) {
            ps.setString(1, suspended.stateSchema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Suspended s = new Suspended(Suspended.FOREIGN_KEY, rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4));
                    if (!rs.getBoolean(5)) {
                        warnOnce(s.display() + " stays while streaming: the apply role does not own both tables, so "
                                + "its checks and actions run on every replicated change (a cascade can make apply fail)");
                        continue;
                    }
                    // a partitioned table's key is dropped with its partitions' clones, and re-added the same way
                    st.execute("ALTER TABLE " + s.qualifiedTable() + " DROP CONSTRAINT " + Sql.ident(s.name()));
                    suspended.record(c, s);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Puts back what the fallback took out of this database (in this or an earlier run), in one transaction:
     * all of it or, on failure, none (the record stays for the next attempt). Leaves {@code c} in autocommit.
     *
     * @return how many triggers and foreign keys were put back
     */
    public synchronized int restore(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            List<Suspended> all = suspended.read(c);
            for (Suspended s : all) {
                if (Suspended.TRIGGER.equals(s.kind())) {
                    if (triggerExists(c, s)) {
                        st.execute("ALTER TABLE ONLY " + s.qualifiedTable() + " ENABLE TRIGGER " + Sql.ident(s.name()));
                    }
                } else {
                    st.execute("ALTER TABLE " + s.qualifiedTable() + " ADD CONSTRAINT " + Sql.ident(s.name()) + " "
                            + s.definition());
                }
            }
            suspended.drop(c);
            c.commit();
            if (!all.isEmpty()) {
                log.info("{} trigger(s) and foreign key(s) put back on the target", all.size());
            }
            return all.size();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean triggerExists(Connection c, Suspended s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid "
                + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND t.relname = ? AND g.tgname = ?")) {
            ps.setString(1, s.schema());
            ps.setString(2, s.table());
            ps.setString(3, s.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether the apply role could not set session_replication_role, so the fallback is in use. */
    public boolean usesFallback() {
        return fallback;
    }

    private void warnOnce(String message) {
        if (warned.add(message)) {
            warn.accept(message);
        }
    }
}
