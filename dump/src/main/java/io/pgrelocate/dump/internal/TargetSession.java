package io.pgrelocate.dump.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Session settings for the connections that write into the target. */
final class TargetSession {
    private TargetSession() {
    }

    /** For COPY: no waiting for WAL flush per commit (the copy is redone after a crash anyway), no timeouts. */
    static void prepareForCopy(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = off");
            st.execute("SET statement_timeout = 0");
        }
        c.setAutoCommit(false);
    }

    /**
     * For index builds, constraints and ANALYZE: more memory for sorts and parallel builds, no timeouts, and no
     * wait for a WAL flush per statement (hundreds of GRANTs and COMMENTs would each wait for one; the state
     * table's synchronous commit after the post-data flushes them all).
     */
    static void prepareForPostData(Connection c, Maintenance m) throws SQLException {
        try (Statement st = c.createStatement()) {
            // one round trip; the last SELECT sets deadlock_timeout only where allowed (a superuser), so a
            // non-superuser's session does not fail and keeps the server's value
            st.execute("SET statement_timeout = 0; SET synchronous_commit = off; SET maintenance_work_mem = "
                    + io.pgrelocate.core.spi.Sql.literal(m.workMemKb() + "kB")
                    + "; SET max_parallel_maintenance_workers = " + m.parallelWorkers()
                    + "; SET search_path = pg_catalog; SELECT pg_catalog.set_config('deadlock_timeout', "
                    + io.pgrelocate.core.spi.Sql.literal(AUTOVACUUM_WAIT) + ", false) FROM pg_catalog.pg_roles "
                    + "WHERE rolname = current_user AND rolsuper");
        }
    }

    /**
     * The post-data sessions' {@code deadlock_timeout}. A freshly copied table invites autovacuum, and a statement that
     * needs a lock autovacuum holds (ALTER TABLE ... OWNER TO, ADD CONSTRAINT, CREATE INDEX, ANALYZE) cancels it only
     * after its own deadlock_timeout: 1 s by default, a whole second of the post-data measured on pgbench's accounts
     * table (the autovacuum is cancelled anyway; it only comes back later).
     */
    static final String AUTOVACUUM_WAIT = "20ms";

    /** What each post-data session may use for one index build. */
    record Maintenance(long workMemKb, int parallelWorkers) {
    }

    private static final long MIN_WORK_MEM_KB = 64L << 10;
    private static final long MAX_WORK_MEM_KB = 2L << 20;

    /**
     * Sized from the target's settings and the number of jobs: each session gets the larger of the server's
     * {@code maintenance_work_mem} and its share ({@code jobs} sessions) of {@code shared_buffers}, the memory the
     * server was given (64 MB to 2 GB), and the larger of the server's {@code max_parallel_maintenance_workers}
     * and its share of {@code max_parallel_workers}: up to twice {@code jobs} sessions build at once while the
     * copy and the post-data overlap.
     */
    static Maintenance maintenance(Connection c, int jobs) throws SQLException {
        // read on a fresh session, before prepareForPostData's SETs (which would show here)
        String sql = "SELECT (SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem'), "
                + "(SELECT setting::bigint * 8 FROM pg_settings WHERE name = 'shared_buffers'), "
                + "current_setting('max_parallel_maintenance_workers')::int, current_setting('max_parallel_workers')::int";
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return maintenance(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), jobs);
        }
    }

    /** As {@link #maintenance(io.pgrelocate.core.spi.PgConnector, String, int)}, from the settings read (kB). */
    static Maintenance maintenance(long workMemKb, long sharedBuffersKb, int maintenanceWorkers, int parallelWorkers,
                                   int jobs) {
        int sessions = Math.max(1, jobs);
        long share = Math.min(MAX_WORK_MEM_KB, Math.max(MIN_WORK_MEM_KB, sharedBuffersKb / sessions));
        int workers = Math.min(8, Math.max(maintenanceWorkers, parallelWorkers / (2 * sessions)));
        return new Maintenance(Math.max(workMemKb, share), workers);
    }
}
