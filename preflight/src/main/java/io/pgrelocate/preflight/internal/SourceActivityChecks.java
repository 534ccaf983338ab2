package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What runs on the source and would get in a continuous migration's way: creating a logical slot waits for
 * every transaction that holds a transaction id (prepared ones included), and slots left by earlier runs
 * retain WAL.
 */
public final class SourceActivityChecks {
    /** A transaction open longer than this is worth naming: slot creation waits for it. */
    static final String LONG_TRANSACTION = "1 minute";

    private SourceActivityChecks() {
    }

    public static void check(ServerSession source, String migrationId, List<DatabaseInfo> databases,
                             Findings findings) {
        try {
            transactions(source, findings);
            slots(source, migrationId, databases, findings);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the source's activity", e);
        }
    }

    private static void transactions(ServerSession source, Findings findings) throws SQLException {
        List<List<String>> open = Queries.rows(source.connection(), "SELECT pid::text, coalesce(datname, ''), "
                + "coalesce(usename, ''), date_trunc('second', now() - xact_start)::text FROM pg_stat_activity "
                + "WHERE backend_xid IS NOT NULL AND xact_start < now() - interval '" + LONG_TRANSACTION + "' "
                + "AND pid <> pg_backend_pid() ORDER BY xact_start");
        if (!open.isEmpty()) {
            List<String> described = open.stream().map(r -> "pid " + r.get(0) + " (" + r.get(2) + "@" + r.get(1)
                    + ", open " + r.get(3) + ")").toList();
            String terminate = open.stream().map(r -> "SELECT pg_terminate_backend(" + r.get(0) + ");")
                    .collect(Collectors.joining("\n"));
            findings.warning(FindingCode.LONG_RUNNING_TRANSACTIONS, "source", open.size() + " transaction(s) "
                    + "have been writing for over " + LONG_TRANSACTION + ": " + Findings.listed(described, 5)
                    + "; creating the replication slots waits until they end", "let them finish, or end them:\n"
                    + terminate);
        }
        List<List<String>> prepared = Queries.rows(source.connection(),
                "SELECT gid, database, prepared::text FROM pg_prepared_xacts ORDER BY prepared");
        if (!prepared.isEmpty()) {
            List<String> described = prepared.stream().map(r -> "'" + r.get(0) + "' in " + r.get(1) + " since "
                    + r.get(2)).toList();
            String resolve = prepared.stream().map(r -> Sql.comment("in database " + Sql.ident(r.get(1)) + ":") + "\nCOMMIT PREPARED "
                    + Sql.literal(r.get(0)) + ";   -- or ROLLBACK PREPARED " + Sql.literal(r.get(0)) + ";")
                    .collect(Collectors.joining("\n"));
            findings.warning(FindingCode.PREPARED_TRANSACTIONS, "source", prepared.size() + " prepared "
                    + "transaction(s) are open (" + Findings.listed(described, 5) + "); creating the replication "
                    + "slots waits until they are committed or rolled back", resolve);
        }
    }

    // this migration's own slots are dropped and made again (or resumed); anyone else's named like ours
    // is a leftover that retains WAL and takes a slot
    private static void slots(ServerSession source, String migrationId, List<DatabaseInfo> databases,
                              Findings findings) throws SQLException {
        Set<String> own = databases.stream().map(d -> Names.slot(migrationId, d.name())).collect(Collectors.toSet());
        List<String> ownFound = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        for (String slot : Queries.column(source.connection(), "SELECT slot_name FROM pg_replication_slots "
                + "ORDER BY slot_name")) {
            if (own.contains(slot)) {
                ownFound.add(slot);
            } else if (Names.isOurs(slot)) {
                leftovers.add(slot);
            }
        }
        if (!leftovers.isEmpty()) {
            findings.warning(FindingCode.LEFTOVER_SLOTS_OR_PUBLICATIONS, "source", leftovers.size() + " replication "
                    + "slot(s) from other pgrelocate migrations exist (" + Findings.listed(leftovers, 5) + "); they "
                    + "keep the source from recycling WAL", "-- if those migrations will not be resumed: "
                    + "pgrelocate cleanup --source URI; or:\n" + leftovers.stream().map(s -> "SELECT "
                    + "pg_drop_replication_slot(" + Sql.literal(s) + ");").collect(Collectors.joining("\n")));
        }
        if (!ownFound.isEmpty()) {
            findings.info(FindingCode.LEFTOVER_SLOTS_OR_PUBLICATIONS, "source", "slot(s) of this migration exist "
                    + "from an earlier run (" + Findings.listed(ownFound, 5) + "); the migration resumes from them "
                    + "or makes them again", "");
        }
    }
}
