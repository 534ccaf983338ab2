package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Creates and drops one database's publication and logical replication slot on the source. */
public final class SlotManager {
    private static final Logger log = LoggerFactory.getLogger(SlotManager.class);

    private SlotManager() {
    }

    /** What CREATE_REPLICATION_SLOT returned: where streaming starts, and the snapshot to copy at. */
    public record CreatedSlot(String name, Lsn consistentPoint, String snapshotName) {
    }

    /**
     * The tables to publish: every plain or partitioned table that is not itself a partition (partitions
     * are published through their root), outside system schemas, extensions and {@code excludedSchemas};
     * unlogged and temporary tables cannot be published.
     */
    public static List<QualifiedName> publishableTables(Connection c, Set<String> excludedSchemas)
            throws SQLException {
        String sql = "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                + "AND c.relpersistence = 'p' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                + "AND n.nspname NOT LIKE 'pg\\_%' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
                + "'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1, 2";
        List<QualifiedName> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (!excludedSchemas.contains(rs.getString(1))) {
                    out.add(QualifiedName.read(rs, 1));
                }
            }
        }
        return out;
    }

    /**
     * Tables among {@code tables}, and their partitions, whose UPDATE and DELETE could not be published (no key,
     * no identity). A partition's own identity is what the source checks when a row in it changes, and the root's
     * is what the stream describes, so both count. One query for all the tables: one per table cost a round trip
     * each, seconds at 10,000 tables.
     */
    public static List<QualifiedName> withoutReplicaIdentity(Connection c, List<QualifiedName> tables)
            throws SQLException {
        List<QualifiedName> out = new ArrayList<>();
        // the tree from pg_inherits, as pg_partition_tree finds it, but without locking every table (that function
        // takes a lock on each, and 50,000 in one query overflow the lock table)
        String sql = "WITH RECURSIVE tree(relid, ord, level) AS (SELECT r.oid, t.ord, 0 FROM unnest(?::text[], "
                + "?::text[]) WITH ORDINALITY AS t(s, r, ord) JOIN pg_namespace rn ON rn.nspname = t.s "
                + "JOIN pg_class r ON r.relnamespace = rn.oid AND r.relname = t.r UNION "
                + "SELECT i.inhrelid, tree.ord, tree.level + 1 FROM tree JOIN pg_inherits i ON i.inhparent = tree.relid) "
                + "SELECT n.nspname, c.relname FROM (SELECT relid, ord, min(level) AS level FROM tree "
                + "GROUP BY relid, ord) p JOIN pg_class c ON c.oid = p.relid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p') AND (c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS "
                + "(SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))) "
                + "ORDER BY p.ord, p.level, 1, 2";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", tables.stream().map(QualifiedName::schema).toArray()));
            ps.setArray(2, c.createArrayOf("text", tables.stream().map(QualifiedName::name).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(QualifiedName.read(rs, 1));
                }
            }
        }
        return out;
    }

    /**
     * (Re)creates the publication for {@code tables}, via the partition root for partitioned tables, in statements
     * that fit the lock table ({@link PublicationBatches}; autocommit connection, no DDL event trigger yet).
     */
    public static void createPublication(Connection c, String publication, List<QualifiedName> tables)
            throws SQLException {
        PublicationBatches.create(c, publication, tables);
    }

    /**
     * Creates a pgoutput slot on a replication connection and exports its snapshot. The snapshot stays
     * valid only until the next command on {@code replication}: keep that connection idle until the copy
     * has imported it.
     */
    public static CreatedSlot createSlot(Connection replication, String slot, int serverVersionNum) {
        String options = serverVersionNum >= 150000 ? " (SNAPSHOT 'export')" : " EXPORT_SNAPSHOT";
        String sql = "CREATE_REPLICATION_SLOT " + Sql.ident(slot) + " LOGICAL pgoutput" + options;
        try (Statement st = replication.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            CreatedSlot created = new CreatedSlot(rs.getString(1), Lsn.parse(rs.getString(2)), rs.getString(3));
            log.info("created slot {} at {} with snapshot {}", slot, created.consistentPoint(), created.snapshotName());
            return created;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot create replication slot " + slot, e);
        }
    }

    /** The slot's confirmed position, if the slot exists. */
    public static Optional<Lsn> confirmedFlush(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1) == null ? Lsn.INVALID : Lsn.parse(rs.getString(1)))
                        : Optional.empty();
            }
        }
    }

    /** Drops the slot (ending any session still using it) and the publication, if they exist. */
    public static void drop(Connection c, String slot, String publication) {
        try (Statement st = c.createStatement()) {
            // a fenced source database defaults to read-only transactions; this session must still drop
            st.execute("SET default_transaction_read_only = off");
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(active_pid) FROM "
                    + "pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL")) {
                ps.setString(1, slot);
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM "
                    + "pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, slot);
                dropWithRetry(ps);
            }
            if (publication != null) {
                PublicationBatches.drop(c, publication);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot drop replication slot " + slot
                    + "; drop it with pgrelocate cleanup", e);
        }
    }

    // a terminated walsender releases its slot a moment later; "slot is active" (55006) means wait
    private static void dropWithRetry(PreparedStatement ps) throws SQLException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                ps.execute();
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
        }
    }

}
