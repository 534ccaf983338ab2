package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.dump.Difference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Event triggers on the target of a continuous migration. The copy creates them all disabled: the apply replays the
 * captured DDL as {@code replica}, where one in state ENABLE ALWAYS or ENABLE REPLICA fires, and login triggers (17+)
 * fire on every session of the run; one that writes rows would add rows next to those its source twin wrote, which
 * the stream brings. When the run ends (a cutover or a stop), on the last session it opens to the database, each
 * gets the state it has on the source at that moment, read there, so a resumed run ends the same way. Until then
 * the cutover's schema check lets an event trigger differ by that state alone, and only while it is still disabled
 * on the target. Thread-safe (no state).
 */
final class EventTriggerStates {
    private static final Logger log = LoggerFactory.getLogger(EventTriggerStates.class);
    /** Those the copy creates: not an extension's, not pgrelocate's own (the source's DDL capture). */
    private static final String COPIED = "evtname NOT LIKE 'pgrelocate%' AND NOT EXISTS (SELECT 1 FROM "
            + "pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_event_trigger'::regclass "
            + "AND e.objid = pg_event_trigger.oid AND e.deptype = 'e')";
    /** What the cutover's check reports for an event trigger still disabled on the target, as the copy made it. */
    private static final Pattern AS_CREATED = Pattern.compile("enabled: source \"[OAR]\", target \"D\"");

    private EventTriggerStates() {
    }

    /** The names of the event triggers disabled on the target. */
    static Set<String> disabled(Connection target) throws SQLException {
        Set<String> out = new java.util.HashSet<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT evtname "
                + "FROM pg_catalog.pg_event_trigger WHERE evtenabled = 'D' AND " + COPIED)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Whether {@code d} is only the disabled state the copy gave one of {@code disabled}, set at the end. */
    static boolean pending(Difference d, Set<String> disabled) {
        return d.kind().equals("event trigger") && d.problem() == Difference.Problem.DEFINITION_DIFFERS
                && disabled.contains(name(d.object())) && AS_CREATED.matcher(d.detail()).matches();
    }

    /** An event trigger's name from its identity in a {@link Difference}, quoted where {@code quote_ident} quotes. */
    private static String name(String identity) {
        return identity.length() > 1 && identity.startsWith("\"") && identity.endsWith("\"")
                ? identity.substring(1, identity.length() - 1).replace("\"\"", "\"") : identity;
    }

    /**
     * Gives each event trigger of the target the state its namesake has on the source, in one transaction on
     * {@code target}; opens no session of its own. Triggers only one side has are left as they are
     * ({@code verify} reports them).
     *
     * @return the statements run, such as {@code ALTER EVENT TRIGGER audit ENABLE ALWAYS}
     */
    static List<String> align(Connection source, Connection target) throws SQLException {
        Map<String, String> wanted = states(source);
        Map<String, String> current = states(target);
        List<String> statements = new ArrayList<>();
        for (Map.Entry<String, String> t : current.entrySet()) {
            String state = wanted.get(t.getKey());
            if (state != null && !state.equals(t.getValue())) {
                statements.add("ALTER EVENT TRIGGER " + Sql.ident(t.getKey()) + " " + clause(state));
            }
        }
        if (statements.isEmpty()) {
            return statements;
        }
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (Statement st = target.createStatement()) {
            // every state or none: a failure leaves them all disabled, as the copy made them
            for (String sql : statements) {
                st.execute(sql);
            }
            target.commit();
        } catch (SQLException e) {
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(autoCommit);
        }
        return statements;
    }

    /**
     * At the end of a run in {@code database} (a cutover or a stop), on {@code target}, the run's last session there:
     * gives the event triggers their source states, read on a source session opened only when the target has one.
     */
    static void restore(MigrationContext context, String database, Connection target) throws SQLException {
        if (states(target).isEmpty()) {
            return;
        }
        try (Connection source = context.source().open(database, "event-triggers")) {
            for (String sql : align(source, target)) {
                log.info("database {}: {}", database, sql);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot give the event triggers of target "
                    + "database " + database + " their source states (the copy created them disabled so that they "
                    + "do not fire on the stream or its sessions; enable them as they are on the source with ALTER EVENT "
                    + "TRIGGER)", e);
        }
    }

    private static Map<String, String> states(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT evtname, evtenabled::text "
                + "FROM pg_catalog.pg_event_trigger WHERE " + COPIED + " ORDER BY evtname")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static String clause(String state) {
        return switch (state) {
            case "D" -> "DISABLE";
            case "R" -> "ENABLE REPLICA";
            case "A" -> "ENABLE ALWAYS";
            default -> "ENABLE";
        };
    }
}
