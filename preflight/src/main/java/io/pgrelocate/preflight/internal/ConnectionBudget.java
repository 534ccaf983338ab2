package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.preflight.FindingCode;

import java.sql.SQLException;
import java.util.List;

/**
 * Whether each server can take the connections the run will open: {@code jobs} copy connections for the
 * whole run (the budget every database shares) plus a few per database, against {@code max_connections}
 * less the reserved slots and the connections open now. Replication connections use WAL sender slots,
 * which {@code replicationSettings} checks, not these.
 */
public final class ConnectionBudget {
    /** Per database beyond the copy workers: on the source the snapshot and lock holder and the lag monitor. */
    static final int SOURCE_PER_DATABASE = 2;
    /** On the target: the apply (or schema) connection of each database. */
    static final int TARGET_PER_DATABASE = 1;
    /** Inspection, state and control connections of the run itself. */
    static final int FIXED = 2;

    private ConnectionBudget() {
    }

    public static void check(MigrationConfig config, ServerSession source, ServerSession target, int databases,
                             Findings findings) {
        // a dump copies one database at a time; a continuous run keeps every database open at once
        int open = config.mode() == Mode.CONTINUOUS ? Math.max(1, databases) : 1;
        check(source, config.jobs(), FIXED + SOURCE_PER_DATABASE * open, findings);
        check(target, config.jobs(), FIXED + TARGET_PER_DATABASE * open, findings);
    }

    private static void check(ServerSession s, int jobs, int others, Findings findings) {
        int needed = jobs + others;
        int max;
        int reserved;
        int used;
        try {
            // one round trip; our own preflight session is among those used, and is closed before the run opens its own
            List<String> limits = Queries.rows(s.connection(), "SELECT current_setting('max_connections'), "
                    + "current_setting('superuser_reserved_connections')::int "
                    + "+ coalesce(current_setting('reserved_connections', true)::int, 0), "
                    + "(SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend')").get(0);
            max = Integer.parseInt(limits.get(0));
            reserved = s.info().superuser() ? 0 : Integer.parseInt(limits.get(1));
            used = Integer.parseInt(limits.get(2));
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the connection limits of the " + s.role(), e);
        }
        int usable = max - reserved;
        int free = usable - used;
        if (needed <= free) {
            return;
        }
        int jobsThatFit = free - others;
        String what = "the run opens about " + needed + " connections to the " + s.role() + " (" + jobs
                + " copy jobs for the whole run + " + others + " for its databases and itself)";
        String fix = (jobsThatFit >= 1 ? "-- run with fewer copy jobs: --jobs " + jobsThatFit + " (jobs(" + jobsThatFit
                + ") in the API)\n-- or " : "-- ") + "ALTER SYSTEM SET max_connections = " + (max + needed - free)
                + ";   -- on the " + s.role() + ", then restart it";
        if (needed > usable) {
            findings.error(FindingCode.CONNECTIONS_TOO_FEW, s.role() + " max_connections", what + ", more than it "
                    + "accepts (max_connections " + max + (reserved > 0 ? " less " + reserved + " reserved" : "")
                    + ")", fix);
        } else {
            findings.warning(FindingCode.CONNECTIONS_TOO_FEW, s.role() + " max_connections", what + ", but only "
                    + free + " are free now (max_connections " + max + (reserved > 0 ? " less " + reserved
                    + " reserved" : "") + ", " + used + " in use)", fix + "\n-- or close idle sessions first");
        }
    }
}
