package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks inside each source database: the role's privileges, tables whose changes cannot be replicated, what
 * the migration will not carry, and the extensions in use (compared with the target later).
 */
public final class SourceDatabaseChecks {
    private final MigrationConfig config;
    private final ServerSession source;
    private final boolean testReplication;
    private final Findings findings;
    private final boolean continuous;
    private final List<SourceExtension> extensions = new ArrayList<>();

    /** An extension installed in a source database. */
    public record SourceExtension(String database, String name, String version) {
    }

    /**
     * @param testReplication whether to open a replication connection to each database (continuous mode, and
     *                        the role may replicate)
     */
    public SourceDatabaseChecks(MigrationConfig config, ServerSession source, boolean testReplication,
                                Findings findings) {
        this.config = config;
        this.source = source;
        this.testReplication = testReplication;
        this.findings = findings;
        this.continuous = config.mode() == Mode.CONTINUOUS;
    }

    /** Every extension found so far. */
    public List<SourceExtension> extensions() {
        return List.copyOf(extensions);
    }

    public void check(DatabaseInfo db) {
        String name = db.name();
        try (Connection c = source.connector().open(name, "preflight")) {
            if (!source.info().superuser()) {
                Privileges.check(c, name, source.user(), continuous, findings);
            }
            if (continuous) {
                ReplicaIdentity.check(c, name, config.stateSchema(), config.setReplicaIdentityFull(), findings);
                unlogged(c, name);
                sequences(c, name);
                publications(c, name);
            }
            largeObjects(c, name);
            lockShare(c, name);
            for (List<String> row : Queries.rows(c, "SELECT extname, extversion FROM pg_extension ORDER BY 1")) {
                extensions.add(new SourceExtension(name, row.get(0), row.get(1)));
            }
        } catch (PgRelocateException e) {
            findings.error(ServerSession.connectCode(e.code()), name, e.getMessage(), "GRANT CONNECT ON DATABASE "
                    + Sql.ident(name) + " TO " + Sql.ident(source.user()) + ";");
            return;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot inspect source database " + name, e);
        }
        if (testReplication) {
            replicationConnection(name);
        }
    }

    private void unlogged(Connection c, String db) throws SQLException {
        List<QualifiedName> names = Queries.rows(c, "SELECT n.nspname, c.relname FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND c.relpersistence = "
                + "'u' AND " + Queries.USER_SCHEMA + " AND " + Queries.NOT_EXTENSION_MEMBER + " ORDER BY 1, 2").stream()
                .map(r -> new QualifiedName(r.get(0), r.get(1))).toList();
        List<String> tables = names.stream().map(QualifiedName::display).toList();
        if (!tables.isEmpty()) {
            findings.warning(FindingCode.UNLOGGED_TABLES, Findings.tables(db, tables), "database " + db + ": " + tables.size() + " unlogged "
                    + "table(s) (" + Findings.listed(tables, 10) + ") are copied once, but their later changes are "
                    + "not replicated", names.stream().map(t -> "ALTER TABLE " + t.sql() + " SET LOGGED;")
                    .collect(Collectors.joining("\n")) + "\n-- or accept that they arrive as of the initial copy");
        }
    }

    /**
     * The copy's snapshot session locks at most an eighth of the lock table's entries (the biggest tables first), as
     * the copy does in io.pgrelocate.dump.internal.LockCapacity; the other tables are checked after their copy.
     */
    private void lockShare(Connection c, String db) throws SQLException {
        List<String> row = Queries.rows(c, "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE c.relkind = 'r' AND " + Queries.USER_SCHEMA + "), "
                + "current_setting('max_locks_per_transaction')::bigint * (current_setting('max_connections')::bigint "
                + "+ current_setting('max_prepared_transactions')::bigint), "
                + "current_setting('max_locks_per_transaction')::bigint").get(0);
        long tables = Long.parseLong(row.get(0));
        long capacity = Long.parseLong(row.get(1));
        long share = capacity / 8;
        if (tables <= share) {
            return;
        }
        long perTransaction = Long.parseLong(row.get(2));
        long needed = (tables * 8 + capacity / perTransaction - 1) / (capacity / perTransaction);
        findings.info(FindingCode.SOURCE_TABLES_NOT_ALL_LOCKED, db, "database " + db + ": " + tables + " tables, more "
                + "than the source's lock table lets the copy hold at once (" + share + ", an eighth of "
                + "max_locks_per_transaction x (max_connections + max_prepared_transactions)): the biggest " + share
                + " are locked for the whole copy, each other one only while it is copied and checked afterwards; a "
                + "TRUNCATE or table rewrite on the source during the copy makes it start again at a new snapshot",
                "-- to lock every table for the whole copy:\nALTER SYSTEM SET max_locks_per_transaction = " + needed
                        + ";   -- on the source, then restart it");
    }

    private void sequences(Connection c, String db) throws SQLException {
        long n = Long.parseLong(Queries.value(c, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE c.relkind = 'S' AND " + Queries.USER_SCHEMA));
        if (n > 0) {
            findings.info(FindingCode.SEQUENCES_SYNCED_AT_CUTOVER, db, "database " + db + ": " + n + " sequence(s) "
                    + "are not replicated; they are set to the source's values at the copy and again at cutover", "");
        }
    }

    private void largeObjects(Connection c, String db) throws SQLException {
        long n = Long.parseLong(Queries.value(c, "SELECT count(*) FROM pg_largeobject_metadata"));
        if (n == 0) {
            return;
        }
        if (continuous) {
            findings.warning(FindingCode.LARGE_OBJECTS, db, "database " + db + ": " + n + " large object(s) are "
                    + "copied as of the initial snapshot, but logical replication does not carry later changes to "
                    + "them, so those will be missing on the target", "keep large objects unchanged during the "
                    + "migration, or move them into bytea columns before migrating");
        } else {
            findings.info(FindingCode.LARGE_OBJECTS, db, "database " + db + ": " + n + " large object(s) will be "
                    + "copied under the snapshot, with their owners and privileges", "");
        }
    }

    private void publications(Connection c, String db) throws SQLException {
        String own = Names.publication(config.migrationId());
        List<String> others = new ArrayList<>();
        for (String pub : Queries.column(c, "SELECT pubname FROM pg_publication ORDER BY 1")) {
            if (Names.isOurs(pub) && !pub.equals(own)) {
                others.add(pub);
            }
        }
        if (!others.isEmpty()) {
            findings.warning(FindingCode.LEFTOVER_SLOTS_OR_PUBLICATIONS, db, "database " + db + ": publication(s) "
                    + "of other pgrelocate migrations exist (" + String.join(", ", others) + ")", "-- if those "
                    + "migrations will not be resumed: pgrelocate cleanup --source URI; or, in database " + db
                    + ":\n" + others.stream().map(p -> "DROP PUBLICATION " + Sql.ident(p) + ";")
                    .collect(Collectors.joining("\n")));
        }
    }

    private void replicationConnection(String db) {
        try (Connection r = source.connector().openReplication(db, "preflight");
             Statement st = r.createStatement()) {
            st.execute("IDENTIFY_SYSTEM");
        } catch (PgRelocateException | SQLException e) {
            String state = e instanceof SQLException s ? s.getSQLState()
                    : ((PgRelocateException) e).sqlState();
            String remedy = "53300".equals(state)
                    ? "-- raise max_wal_senders on the source: ALTER SYSTEM SET max_wal_senders = ...; then restart"
                    : "-- allow this host in the source's pg_hba.conf (a logical replication connection matches "
                    + "lines by database name), such as:\n" + Sql.comment("host " + db + " " + source.user()
                    + " <client-address>/32 scram-sha-256") + "\nSELECT pg_reload_conf();";
            findings.error(FindingCode.REPLICATION_CONNECTION_FAILED, db, "a replication connection to source "
                    + "database " + db + " failed: " + PgErrors.firstLine(e.getMessage()), remedy);
        }
    }
}
