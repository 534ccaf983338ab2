package io.pgrelocate.dump.internal;

import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.dump.SnapshotRaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Locks the tables to copy in ACCESS SHARE mode inside the snapshot's transaction, as pg_dump does, so no
 * TRUNCATE or rewriting ALTER TABLE can swap a table's file under the copy; then checks that none did so
 * between the snapshot and the lock.
 *
 * <p>At most {@code limit} tables are locked, the biggest first (their copies take longest): locking 10,000 tables
 * in one transaction overflows a lock table of default size, and takes lock memory the source's own sessions
 * need. A table left unlocked is checked after its copy instead (see {@link UnlockedTables}).
 */
final class TableLocks {
    private static final Logger log = LoggerFactory.getLogger(TableLocks.class);
    private static final int PER_STATEMENT = 500;
    /** SQLSTATE 53200: the lock table is full. */
    private static final String OUT_OF_LOCKS = "53200";

    private TableLocks() {
    }

    /**
     * Locks up to {@code limit} ordinary tables outside {@code excludedSchema} (the first thing the snapshot's
     * session does, so the window for a rewrite is as short as it can be) and checks none was rewritten after the
     * snapshot.
     *
     * @return the tables locked
     * @throws SnapshotRaceException when one was rewritten
     */
    static Set<QualifiedName> lockAndCheck(Connection snapshotSession, String excludedSchema, long limit)
            throws SQLException {
        List<QualifiedName> tables = new ArrayList<>();
        try (PreparedStatement ps = snapshotSession.prepareStatement("SELECT n.nspname, c.relname "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
                + "AND n.nspname <> ? ORDER BY c.relpages DESC, c.reltuples DESC")) {
            ps.setString(1, excludedSchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(QualifiedName.read(rs, 1));
                }
            }
        }
        List<QualifiedName> toLock = tables.subList(0, (int) Math.min(tables.size(), Math.max(0, limit)));
        Set<QualifiedName> locked = lock(snapshotSession, toLock);
        if (locked.size() < tables.size()) {
            log.info("locked {} of {} tables in the snapshot's session (the lock table's share allows {}); each "
                    + "other table is checked for a rewrite after its copy", locked.size(), tables.size(), limit);
        }
        try (Statement st = snapshotSession.createStatement();
             // pg_class as the snapshot sees it against the file the table has now
             ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relfilenode <> 0 "
                     + "AND c.relfilenode <> pg_relation_filenode(c.oid) LIMIT 1")) {
            if (rs.next()) {
                throw new SnapshotRaceException("table " + QualifiedName.read(rs, 1).display() + " was truncated or "
                        + "rewritten on the source just after the snapshot was taken; copying again at a new snapshot");
            }
        }
        return locked;
    }

    /** Locks in chunks, each under a savepoint: a full lock table ends the locking, not the transaction. */
    private static Set<QualifiedName> lock(Connection c, List<QualifiedName> tables) throws SQLException {
        Set<QualifiedName> locked = new HashSet<>();
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < tables.size(); i += PER_STATEMENT) {
                List<QualifiedName> chunk = tables.subList(i, Math.min(tables.size(), i + PER_STATEMENT));
                st.execute("SAVEPOINT table_locks");
                try {
                    st.execute("LOCK TABLE " + String.join(", ", chunk.stream().map(t -> "ONLY " + t.sql()).toList())
                            + " IN ACCESS SHARE MODE");
                    st.execute("RELEASE SAVEPOINT table_locks");
                    locked.addAll(chunk);
                } catch (SQLException e) {
                    if (!OUT_OF_LOCKS.equals(e.getSQLState())) {
                        throw e;
                    }
                    // the rollback to the savepoint frees this chunk's locks; the rest is checked after its copy
                    st.execute("ROLLBACK TO SAVEPOINT table_locks");
                    log.warn("the source's lock table is full after locking {} tables (raise "
                            + "max_locks_per_transaction); each other table is checked for a rewrite after its "
                            + "copy: {}", locked.size(), PgErrors.firstLine(e.getMessage()));
                    break;
                }
            }
        }
        return locked;
    }
}
