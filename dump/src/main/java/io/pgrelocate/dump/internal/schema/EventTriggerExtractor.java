package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;

/**
 * Event triggers, created last so that they do not fire on the replay itself. Login triggers (17+) fire on every
 * new session of their database, ours too: they come in a wave of their own after the others, as one statement,
 * so that no post-data session connects after the first of them exists (a session is taken before its statement
 * runs), and nothing of the copy logs in to the database after them. When {@link ExtractOptions#eventTriggersDisabled()}
 * (continuous mode), every event trigger is created and disabled in the same statement, one transaction, so that none
 * is ever enabled while the stream applies (its replayed DDL and its sessions).
 */
final class EventTriggerExtractor {
    private EventTriggerExtractor() {
    }

    /** The waves: the other event triggers, then the login triggers as one statement (each wave may be empty). */
    static List<List<DdlStatement>> eventTriggers(Catalog catalog) throws SQLException {
        String sql = "SELECT et.evtname, et.evtevent, COALESCE(et.evttags, '{}'), "
                + "et.evtfoid::regproc::text, et.evtenabled::text, pg_get_userbyid(et.evtowner), "
                + "obj_description(et.oid, 'pg_event_trigger') FROM pg_event_trigger et WHERE "
                + Catalog.notExtensionMember("pg_event_trigger", "et.oid")
                // a continuous migration's own DDL capture triggers run functions in its state schema
                + " AND " + Catalog.userSchema("(SELECT p.pronamespace FROM pg_proc p WHERE p.oid = et.evtfoid)")
                + " ORDER BY 1";
        List<DdlStatement> others = new java.util.ArrayList<>();
        List<DdlStatement> logins = new java.util.ArrayList<>();
        catalog.query(sql, rs -> {
            String name = Sql.ident(rs.getString(1));
            String[] tags = java.util.Arrays.stream((String[]) rs.getArray(3).getArray()).map(Sql::literal)
                    .toArray(String[]::new);
            StringBuilder ddl = new StringBuilder("CREATE EVENT TRIGGER ").append(name).append(" ON ")
                    .append(Sql.ident(rs.getString(2)));
            if (tags.length > 0) {
                ddl.append(" WHEN TAG IN (").append(String.join(", ", tags)).append(')');
            }
            ddl.append(" EXECUTE FUNCTION ").append(rs.getString(4)).append("()");
            boolean login = "login".equals(rs.getString(2));
            String state = catalog.options().eventTriggersDisabled() ? "D" : rs.getString(5);
            state = switch (state) {
                case "D" -> "DISABLE";
                case "R" -> "ENABLE REPLICA";
                case "A" -> "ENABLE ALWAYS";
                default -> null;
            };
            if (state != null) {
                ddl.append("; ALTER EVENT TRIGGER ").append(name).append(' ').append(state);
            }
            if (catalog.targetHasRole(rs.getString(6))) {
                ddl.append("; ALTER EVENT TRIGGER ").append(name).append(" OWNER TO ").append(Sql.ident(rs.getString(6)));
            } else {
                catalog.warn("event trigger " + rs.getString(1) + ": owner role " + rs.getString(6)
                        + " does not exist on the target; it is owned by the migrating role instead");
            }
            if (rs.getString(7) != null) {
                ddl.append("; COMMENT ON EVENT TRIGGER ").append(name).append(" IS ").append(Sql.literal(rs.getString(7)));
            }
            (login ? logins : others).add(new DdlStatement("event trigger "
                    + rs.getString(1), ddl.toString()));
            return null;
        });
        if (logins.size() > 1) {
            return List.of(others, List.of(new DdlStatement("login event triggers " + String.join(", ", logins.stream()
                    .map(d -> d.object().substring("event trigger ".length())).toList()), String.join("; ",
                    logins.stream().map(DdlStatement::sql).toList()))));
        }
        return List.of(others, logins);
    }
}
