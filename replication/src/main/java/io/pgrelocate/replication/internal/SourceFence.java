package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.FenceMode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stops writes on the source at cutover: each migrated database becomes read-only for new transactions
 * ({@code ALTER DATABASE ... SET default_transaction_read_only = on}), a {@link FenceMode#STRONG strong} fence also
 * revokes CONNECT from every other role (PUBLIC included), and the sessions already connected, which the setting
 * does not reach, are ended. Before anything changes, a {@link FenceMarker} recording how to undo it is written to
 * the database's comment, so a killed process's fence is found and lifted by {@code cleanup} or a resumed run.
 * Every session of this class turns the fence off for itself. Thread-safe (no state).
 */
public final class SourceFence {
    private static final Logger log = LoggerFactory.getLogger(SourceFence.class);

    private final PgConnector source;
    private final String migrationId;

    public SourceFence(PgConnector source, String migrationId) {
        this.source = source;
        this.migrationId = migrationId;
    }

    /**
     * Fences {@code database}. When a step fails (a role without superuser may end only its own sessions, or
     * others' with {@code pg_signal_backend}, never a superuser's), what was done is undone and the cutover fails:
     * a source left read-only by a failed cutover would be an outage.
     */
    public void fence(String database, FenceMode mode) {
        try (Connection c = open(); Statement st = c.createStatement()) {
            FenceMarker marker = FenceMarker.decode(comment(c, database)).orElse(null);
            if (marker == null) {
                Map<String, Boolean> holders = mode == FenceMode.STRONG ? connectHolders(c, database) : Map.of();
                marker = new FenceMarker(migrationId, mode, readOnlySetting(c, database), comment(c, database),
                        List.copyOf(holders.keySet()), holders.entrySet().stream().filter(Map.Entry::getValue)
                        .map(Map.Entry::getKey).toList(), acl(c, database));
                st.execute("COMMENT ON DATABASE " + Sql.ident(database) + " IS " + Sql.literal(marker.encode()));
            }
            try {
                st.execute("ALTER DATABASE " + Sql.ident(database) + " SET default_transaction_read_only = on");
                for (String role : marker.revoked()) {
                    st.execute("REVOKE CONNECT ON DATABASE " + Sql.ident(database) + " FROM " + grantee(role));
                }
                long ended = endSessions(c, database);
                log.info("fenced source database {} ({}): read-only for new transactions{}, {} session(s) ended; "
                        + "pgrelocate cleanup --source lifts it", database, mode, marker.revoked().isEmpty() ? ""
                        : ", CONNECT revoked from " + marker.revoked(), ended);
            } catch (SQLException e) {
                lift(c, database);
                throw e;
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot fence source database " + database
                    + " for cutover (needs ownership of the database and the right to end its sessions: "
                    + "pg_signal_backend for other roles'); fix that, or turn the fence off and stop the writers "
                    + "yourself", e);
        }
    }

    /** Lifts the fence of {@code database} if it has one; logs and returns false when that fails. */
    public boolean lift(String database) {
        try (Connection c = open()) {
            return lift(c, database);
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot lift the fence of source database {} ({}); run pgrelocate cleanup --source, or ALTER "
                    + "DATABASE {} RESET default_transaction_read_only", database, PgErrors.firstLine(e.getMessage()),
                    Sql.ident(database));
            return false;
        }
    }

    /**
     * The fenced databases and who fenced them: every one when {@code onlyMigration} is null, otherwise those of
     * that migration.
     */
    public Map<String, String> fenced(String onlyMigration) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
                     + "ORDER BY datname")) {
            while (rs.next()) {
                String db = rs.getString(1);
                FenceMarker.decode(rs.getString(2)).filter(m -> onlyMigration == null
                        || m.migrationId().equals(onlyMigration)).ifPresent(m -> out.put(db, m.migrationId()));
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot look for fenced source databases", e);
        }
        return out;
    }

    private boolean lift(Connection c, String database) throws SQLException {
        FenceMarker marker = FenceMarker.decode(comment(c, database)).orElse(null);
        if (marker == null) {
            return false;
        }
        try (Statement st = c.createStatement()) {
            for (String role : marker.revoked()) {
                st.execute("GRANT CONNECT ON DATABASE " + Sql.ident(database) + " TO " + grantee(role)
                        + (marker.grantable().contains(role) ? " WITH GRANT OPTION" : ""));
            }
            st.execute("ALTER DATABASE " + Sql.ident(database) + (marker.readOnly() == null
                    ? " RESET default_transaction_read_only"
                    : " SET default_transaction_read_only = " + Sql.literal(marker.readOnly())));
            st.execute("COMMENT ON DATABASE " + Sql.ident(database) + " IS "
                    + (marker.comment() == null ? "NULL" : Sql.literal(marker.comment())));
        }
        log.info("lifted the fence of source database {} set by migration {}{}", database, marker.migrationId(),
                marker.revoked().isEmpty() ? "" : "; CONNECT restored to " + marker.revoked());
        return true;
    }

    private Connection open() throws SQLException {
        Connection c = source.open("fence");
        try (Statement st = c.createStatement()) {
            // this session must write on a fenced database (the comment, the grants)
            st.execute("SET default_transaction_read_only = off");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static String grantee(String role) {
        return role.equals("PUBLIC") ? "PUBLIC" : Sql.ident(role);
    }

    private static long endSessions(Connection c, String database) throws SQLException {
        // another role's session shows no backend_type to a role without pg_read_all_stats; background
        // workers (autovacuum) have no user
        try (PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE datname = ? AND pid <> pg_backend_pid() AND (backend_type = 'client backend' "
                + "OR backend_type IS NULL AND usesysid IS NOT NULL)")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String comment(Connection c, String database) throws SQLException {
        return one(c, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?", database);
    }

    private static String acl(Connection c, String database) throws SQLException {
        return one(c, "SELECT coalesce(datacl, acldefault('d', datdba))::text FROM pg_database WHERE datname = ?",
                database);
    }

    /** The database's own setting (not a role's), such as {@code on}, or null. */
    private static String readOnlySetting(Connection c, String database) throws SQLException {
        return one(c, "SELECT substr(s, length('default_transaction_read_only=') + 1) FROM pg_db_role_setting r "
                + "JOIN pg_database d ON d.oid = r.setdatabase, unnest(r.setconfig) s WHERE r.setrole = 0 "
                + "AND d.datname = ? AND s LIKE 'default\\_transaction\\_read\\_only=%'", database);
    }

    /**
     * Every grantee of CONNECT but the migrating role, which must keep connecting to finish the cutover, and
     * whether it may grant it.
     */
    private static Map<String, Boolean> connectHolders(Connection c, String database) throws SQLException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE "
                + "pg_get_userbyid(a.grantee) END, a.is_grantable FROM pg_database d, "
                + "aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE d.datname = ? "
                + "AND a.privilege_type = 'CONNECT' AND a.grantee <> (SELECT oid FROM pg_roles WHERE rolname = "
                + "current_user) ORDER BY 1")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.merge(rs.getString(1), rs.getBoolean(2), Boolean::logicalOr);
                }
            }
        }
        return out;
    }

    private static String one(Connection c, String sql, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * The cutover point every database drains to: the source's WAL insert position, which is past every
     * committed transaction. The write position is not: a transaction committed with synchronous_commit
     * off can sit in WAL buffers beyond it, and would be left behind.
     */
    public Lsn currentWal() {
        try (Connection c = source.open("fence"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot read the source's WAL position", e);
        }
    }
}
