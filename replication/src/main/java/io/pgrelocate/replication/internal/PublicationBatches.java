package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds and drops a publication of any number of tables in statements that each fit the source's lock table, each
 * its own transaction on an autocommit connection. Adding a table locks it until commit, and dropping a publication
 * locks each membership: 50,000 tables in one statement overflow a lock table sized by default settings
 * ({@code max_locks_per_transaction} 64 x 100 connections). Stateless.
 * <p>
 * Build it while no {@code ddl_command_end} event trigger exists in the database: with one, the server keeps a copy
 * of the whole {@code ALTER PUBLICATION ... ADD TABLE} statement for every table it adds (for
 * {@code pg_event_trigger_ddl_commands()}), so a statement of n tables costs n^2 (1,000 tables: 8 s instead of 1.5 s
 * here; 10,000 tables in batches: 25-54 s). CREATE PUBLICATION keeps no such copies.
 */
final class PublicationBatches {
    /** Tables in one statement at most, whatever the lock table: a statement's text and plan stay small. */
    private static final int MAX_BATCH = 1000;

    private PublicationBatches() {
    }

    /** Creates {@code publication} afresh with exactly {@code tables} (a partitioned table's partitions through it). */
    static void create(Connection c, String publication, List<QualifiedName> tables) throws SQLException {
        drop(c, publication);
        int batch = batchSize(c);
        List<QualifiedName> first = tables.subList(0, Math.min(batch, tables.size()));
        try (Statement st = c.createStatement()) {
            st.execute("CREATE PUBLICATION " + Sql.ident(publication) + (first.isEmpty() ? "" : " FOR TABLE "
                    + list(first, "ONLY ")) + " WITH (publish = 'insert, update, delete, truncate', "
                    + "publish_via_partition_root = true)");
        }
        add(c, publication, tables.subList(first.size(), tables.size()), batch);
    }

    /** Adds those of {@code tables} not yet members of {@code publication}, a batch per transaction. */
    static void add(Connection c, String publication, List<QualifiedName> tables) throws SQLException {
        add(c, publication, tables, batchSize(c));
    }

    private static void add(Connection c, String publication, List<QualifiedName> tables, int batch)
            throws SQLException {
        for (int from = 0; from < tables.size(); from += batch) {
            // ONLY: every table to publish is listed itself, and a parent's ADD TABLE would otherwise add its
            // inheritance children, failing on one an earlier batch added; what is a member already (a table the
            // capture's trigger added meanwhile) is left out
            List<QualifiedName> missing = notMembers(c, publication,
                    tables.subList(from, Math.min(from + batch, tables.size())));
            if (!missing.isEmpty()) {
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER PUBLICATION " + Sql.ident(publication) + " ADD TABLE " + list(missing, "ONLY "));
                }
            }
        }
    }

    /** Drops {@code publication} if it exists: its members a batch per transaction first, when there are many. */
    static void drop(Connection c, String publication) throws SQLException {
        int batch = batchSize(c);
        List<QualifiedName> members = members(c, publication);
        try (Statement st = c.createStatement()) {
            // the last batch goes with the publication itself
            for (int from = 0; members.size() - from > batch; from += batch) {
                st.execute("ALTER PUBLICATION " + Sql.ident(publication) + " DROP TABLE "
                        + list(members.subList(from, from + batch), "ONLY "));
            }
            st.execute("DROP PUBLICATION IF EXISTS " + Sql.ident(publication));
        }
    }

    /**
     * Tables one statement handles: a quarter of the source's lock table (the share the copy's transactions take
     * too), at most {@link #MAX_BATCH}.
     */
    static int batchSize(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT "
                + "current_setting('max_locks_per_transaction')::bigint * (current_setting('max_connections')::bigint "
                + "+ current_setting('max_prepared_transactions')::bigint)")) {
            rs.next();
            return batchSize(rs.getLong(1));
        }
    }

    /** {@link #batchSize(Connection)} for a lock table of {@code lockTable} entries. */
    static int batchSize(long lockTable) {
        return (int) Math.max(1, Math.min(MAX_BATCH, lockTable / 4));
    }

    /** The quoted names, comma-separated, each after {@code prefix}. */
    static String list(List<QualifiedName> tables, String prefix) {
        return tables.stream().map(t -> prefix + t.sql()).collect(Collectors.joining(", "));
    }

    private static List<QualifiedName> notMembers(Connection c, String publication, List<QualifiedName> tables)
            throws SQLException {
        String sql = "SELECT t.s, t.r FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS t(s, r, ord) "
                + "WHERE NOT EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid "
                + "JOIN pg_class c ON c.oid = pr.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE p.pubname = ? AND n.nspname = t.s AND c.relname = t.r) ORDER BY t.ord";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", tables.stream().map(QualifiedName::schema).toArray()));
            ps.setArray(2, c.createArrayOf("text", tables.stream().map(QualifiedName::name).toArray()));
            ps.setString(3, publication);
            return read(ps);
        }
    }

    private static List<QualifiedName> members(Connection c, String publication) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, c.relname FROM pg_publication_rel pr "
                + "JOIN pg_publication p ON p.oid = pr.prpubid JOIN pg_class c ON c.oid = pr.prrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE p.pubname = ?")) {
            ps.setString(1, publication);
            return read(ps);
        }
    }

    private static List<QualifiedName> read(PreparedStatement ps) throws SQLException {
        List<QualifiedName> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(QualifiedName.read(rs, 1));
            }
        }
        return out;
    }
}
