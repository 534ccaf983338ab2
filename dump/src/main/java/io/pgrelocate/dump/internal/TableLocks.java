package io.pgrelocate.dump.internal;

import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.dump.SnapshotRaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Locks the tables to copy in ACCESS SHARE mode inside the snapshot's transaction, as pg_dump does, so no
 * TRUNCATE or rewriting ALTER TABLE can swap a table's file under the copy; then checks that none did so
 * between the snapshot and the lock.
 */
final class TableLocks {
    private static final Logger log = LoggerFactory.getLogger(TableLocks.class);
    private static final int PER_STATEMENT = 500;

    private TableLocks() {
    }

    /**
     * Locks every ordinary table outside {@code excludedSchema} (the first thing the snapshot's session does,
     * so the window for a rewrite is as short as it can be) and checks none was rewritten after the snapshot.
     *
     * @throws SnapshotRaceException when one was
     */
    static void lockAndCheck(Connection snapshotSession, String excludedSchema) throws SQLException {
        List<QualifiedName> tables = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement ps = snapshotSession.prepareStatement("SELECT n.nspname, c.relname "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
                + "AND n.nspname <> ?")) {
            ps.setString(1, excludedSchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(QualifiedName.read(rs, 1));
                }
            }
        }
        try (Statement st = snapshotSession.createStatement()) {
            for (int i = 0; i < tables.size(); i += PER_STATEMENT) {
                List<QualifiedName> chunk = tables.subList(i, Math.min(tables.size(), i + PER_STATEMENT));
                st.execute("LOCK TABLE " + String.join(", ", chunk.stream().map(t -> "ONLY " + t.sql()).toList())
                        + " IN ACCESS SHARE MODE");
            }
            // pg_class as the snapshot sees it against the file the table has now
            try (ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relfilenode <> 0 "
                    + "AND c.relfilenode <> pg_relation_filenode(c.oid) LIMIT 1")) {
                if (rs.next()) {
                    throw new SnapshotRaceException("table " + QualifiedName.read(rs, 1).display() + " was truncated or rewritten on the "
                            + "source just after the snapshot was taken; copying again at a new snapshot");
                }
            }
        } catch (SQLException e) {
            if ("53200".equals(e.getSQLState())) {
                // out of lock memory: copy unlocked, as pg_dump could not either, and say so
                log.warn("cannot lock all {} tables (raise max_locks_per_transaction); copying without locks: "
                        + "{}", tables.size(), PgErrors.firstLine(e.getMessage()));
                return;
            }
            throw e;
        }
    }
}
