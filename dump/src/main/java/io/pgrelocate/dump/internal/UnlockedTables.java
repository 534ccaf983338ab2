package io.pgrelocate.dump.internal;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.dump.SnapshotRaceException;
import io.pgrelocate.dump.internal.schema.TableData;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Copies safely a table the snapshot's session could not lock (see {@link TableLocks}). A TRUNCATE or rewriting
 * ALTER TABLE is not MVCC-safe: a copy at the snapshot after one would read the new file. So the worker locks the
 * table itself before its COPY, and before its transaction ends (releasing the lock) checks that the file the
 * snapshot's catalog names is still the table's file and the name still the same table: if so, nothing rewrote
 * it between the snapshot and the COPY, and the rows copied are the snapshot's. Stateless.
 */
final class UnlockedTables {
    /** How long a worker waits for the lock of a table someone else holds exclusively (TRUNCATE, ALTER...). */
    private static final String LOCK_TIMEOUT = "30s";

    private UnlockedTables() {
    }

    /**
     * Takes the table's ACCESS SHARE lock in the worker's transaction, waiting a bounded time: a session that holds
     * or waits for an exclusive lock may itself wait for a table the snapshot's session holds, which the server
     * cannot see as a deadlock.
     *
     * @throws SnapshotRaceException when the lock is not granted in time
     */
    static void lock(Connection source, TableData table) throws SQLException {
        try (Statement st = source.createStatement()) {
            // one round trip; a lock not granted aborts the transaction, which the new snapshot's copy replaces
            st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'; LOCK TABLE ONLY " + table.qualified()
                    + " IN ACCESS SHARE MODE; SET LOCAL lock_timeout = 0");
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) {
                throw e;
            }
            throw new SnapshotRaceException("table " + table.display() + " stayed locked exclusively on the "
                    + "source for " + LOCK_TIMEOUT + " (TRUNCATE, ALTER TABLE...) and was not locked by the "
                    + "snapshot's session; copying again at a new snapshot");
        }
    }

    /**
     * Checks, while the worker's transaction still holds their locks, that none of {@code copied} was rewritten,
     * dropped or replaced by another table of the same name since the snapshot.
     *
     * @throws SnapshotRaceException when one was
     */
    static void check(Connection source, List<TableData> copied) throws SQLException {
        if (copied.isEmpty()) {
            return;
        }
        String[] schemas = copied.stream().map(TableData::schema).toArray(String[]::new);
        String[] names = copied.stream().map(TableData::name).toArray(String[]::new);
        Array schemaArray = source.createArrayOf("text", schemas);
        Array nameArray = source.createArrayOf("text", names);
        // to_regclass resolves a name in the catalog as it is now (pg_class below is read as the snapshot saw it);
        // the name it parses is quoted here, by the one quoting path
        Array quotedArray = source.createArrayOf("text", copied.stream()
                .map(t -> new QualifiedName(t.schema(), t.name()).sql()).toArray(String[]::new));
        // pg_class as the snapshot sees it, against the file and the name-to-table mapping the server has now
        try (PreparedStatement ps = source.prepareStatement("SELECT t.s, t.n FROM unnest(?::text[], ?::text[], "
                + "?::text[]) AS t(s, n, q) LEFT JOIN pg_catalog.pg_namespace ns ON ns.nspname = t.s "
                + "LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = ns.oid AND c.relname = t.n "
                + "WHERE c.oid IS NULL OR pg_catalog.pg_relation_filenode(c.oid) IS DISTINCT FROM c.relfilenode "
                + "OR pg_catalog.to_regclass(t.q) IS DISTINCT FROM c.oid LIMIT 1")) {
            ps.setArray(1, schemaArray);
            ps.setArray(2, nameArray);
            ps.setArray(3, quotedArray);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new SnapshotRaceException("table " + QualifiedName.read(rs, 1).display() + " was truncated, "
                            + "rewritten or replaced on the source after the snapshot was taken; copying again at a "
                            + "new snapshot");
                }
            }
        }
    }
}
