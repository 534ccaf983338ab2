package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Stops writes on the source at cutover: each migrated database becomes read-only for new transactions
 * ({@code ALTER DATABASE ... SET default_transaction_read_only = on}), and the sessions already connected
 * to it, which that setting does not reach, are ended so none of them can write after the cutover point.
 * The source stays fenced afterwards; undo with {@code ALTER DATABASE ... RESET default_transaction_read_only}.
 */
public final class SourceFence {
    private static final Logger log = LoggerFactory.getLogger(SourceFence.class);

    private final MigrationContext context;

    public SourceFence(MigrationContext context) {
        this.context = context;
    }

    /**
     * Fences {@code database}. When its sessions cannot all be ended (a role without superuser may end only
     * its own, or others' with {@code pg_signal_backend}, never a superuser's), the setting is undone and
     * the cutover fails: a source left read-only by a failed cutover would be an outage.
     */
    public void fence(String database) {
        try (Connection c = context.source().open(database, "fence"); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + Sql.ident(database) + " SET default_transaction_read_only = on");
            // another role's session shows no backend_type to a role without pg_read_all_stats; background
            // workers (autovacuum) have no user
            try (PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE datname = ? AND pid <> pg_backend_pid() AND (backend_type = 'client backend' "
                    + "OR backend_type IS NULL AND usesysid IS NOT NULL)")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    log.info("fenced source database {}: read-only for new transactions, {} session(s) ended; undo "
                            + "with ALTER DATABASE ... RESET default_transaction_read_only", database, rs.getLong(1));
                }
            } catch (SQLException e) {
                st.execute("ALTER DATABASE " + Sql.ident(database) + " RESET default_transaction_read_only");
                throw e;
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot fence source database " + database
                    + " for cutover (needs ownership of the database and the right to end its sessions: "
                    + "pg_signal_backend for other roles'); fix that, or turn the fence off and stop the writers "
                    + "yourself", e);
        }
    }

    /** Undoes {@link #fence} of {@code database} after a cutover that failed before its drain; logs a failure. */
    public void unfence(String database) {
        try (Connection c = context.source().open(database, "fence"); Statement st = c.createStatement()) {
            // a new session of a fenced database starts read-only itself
            st.execute("SET default_transaction_read_only = off");
            st.execute("ALTER DATABASE " + Sql.ident(database) + " RESET default_transaction_read_only");
            log.info("source database {} no longer fenced: the cutover failed before draining", database);
        } catch (SQLException e) {
            log.warn("cannot undo the fence of source database {} ({}); run ALTER DATABASE {} RESET "
                    + "default_transaction_read_only", database, PgErrors.firstLine(e.getMessage()), Sql.ident(database));
        }
    }

    /**
     * The cutover point every database drains to: the source's WAL insert position, which is past every
     * committed transaction. The write position is not: a transaction committed with synchronous_commit
     * off can sit in WAL buffers beyond it, and would be left behind.
     */
    public Lsn currentWal() {
        try (Connection c = context.source().open("fence"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot read the source's WAL position", e);
        }
    }
}
