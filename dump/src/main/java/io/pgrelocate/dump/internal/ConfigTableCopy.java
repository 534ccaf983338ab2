package io.pgrelocate.dump.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.dump.internal.schema.ConfigTable;
import io.pgrelocate.dump.internal.schema.TableData;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Adds the rows of the extensions' configuration tables to the target, as pg_dump does: the rows the extension's
 * filter selects at the snapshot ({@code COPY (SELECT ... FROM t WHERE <extcondition>)}), added to those CREATE
 * EXTENSION inserted there (never truncated), one table after another in foreign-key order, in one target
 * transaction. Runs on the snapshot's lock-holding session once the other tables are copied: it holds their locks
 * already, so no TRUNCATE queued behind it can block it. Not thread-safe.
 */
final class ConfigTableCopy {
    private static final Logger log = LoggerFactory.getLogger(ConfigTableCopy.class);

    private final String database;
    private final Consumer<String> warn;

    /** {@code warn} hears of every table whose rows cannot be added, naming it and why. */
    ConfigTableCopy(String database, Consumer<String> warn) {
        this.database = database;
        this.warn = warn;
    }

    /**
     * @param source the snapshot's session, which holds the {@code locked} tables' locks
     * @param target a connection to the target database, autocommit off; committed here
     * @return the rows added
     */
    long copy(List<ConfigTable> tables, Connection source, Set<QualifiedName> locked, Connection target) {
        if (tables.isEmpty()) {
            return 0;
        }
        long rows = 0;
        List<TableData> unchecked = new ArrayList<>();
        ConfigTable current = null;
        try {
            for (ConfigTable t : tables) {
                current = t;
                if (!targetHasColumns(target, t)) {
                    continue;
                }
                TableData data = t.table();
                if (!locked.contains(new QualifiedName(data.schema(), data.name()))) {
                    UnlockedTables.lock(source, data);
                    unchecked.add(data);
                }
                long added = copyOne(t, source, target);
                log.info("database {}: added {} rows{} to {}", database, added,
                        t.condition().isEmpty() ? "" : " (" + t.condition() + ")", t.display());
                rows += added;
            }
            current = null;
            UnlockedTables.check(source, unchecked);
            target.commit();
            return rows;
        } catch (SQLException e) {
            rollbackQuietly(target);
            String what = current == null ? "the extensions' configuration tables"
                    : "adding the rows of " + current.display();
            throw PgErrors.failed(ErrorCode.COPY_FAILED, what + " of database " + database + " failed"
                    + ("23505".equals(e.getSQLState()) ? " (a row the source's filter selects repeats a key of a row "
                    + "CREATE EXTENSION made on the target, as pg_dump's restore would find too)" : ""), e);
        }
    }

    /**
     * Whether the target's table has every column copied: it lacks the table when its extension was left out, and
     * columns when another version of the extension was installed. Either way its rows are left out, named.
     */
    private boolean targetHasColumns(Connection target, ConfigTable t) throws SQLException {
        TableData data = t.table();
        Set<String> columns = new HashSet<>();
        boolean exists = false;
        try (PreparedStatement ps = target.prepareStatement("SELECT a.attname::text FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_attribute a "
                + "ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' "
                + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'r'")) {
            ps.setString(1, data.schema());
            ps.setString(2, data.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    exists = true;
                    columns.add(rs.getString(1));
                }
            }
        }
        List<String> missing = data.columns().stream().filter(c -> !columns.contains(c)).toList();
        if (exists && missing.isEmpty()) {
            return true;
        }
        warn.accept("database " + database + ": the rows of " + t.display() + " are not copied: the target "
                + (exists ? "table lacks column(s) " + String.join(", ", missing) + " (another version of the "
                + "extension?)" : "has no such table (the extension was not created there)"));
        return false;
    }

    private static long copyOne(ConfigTable t, Connection source, Connection target) throws SQLException {
        TableData data = t.table();
        String columns = data.columns().isEmpty() ? "" : " (" + io.pgrelocate.core.spi.Sql.identList(data.columns()) + ")";
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + t.selectSql() + ") TO STDOUT");
        CopyIn in;
        try {
            in = target.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + data.qualified() + columns
                    + " FROM STDIN");
        } catch (SQLException e) {
            cancelQuietly(out);
            throw e;
        }
        try {
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                in.writeToCopy(row, 0, row.length);
            }
            return in.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancelQuietly(out);
            cancelQuietly(in);
            throw e;
        }
    }

    private static void cancelQuietly(org.postgresql.copy.CopyOperation op) {
        try {
            if (op.isActive()) {
                op.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // a broken connection rolls back by itself; the copy failure is what gets reported
        }
    }
}
