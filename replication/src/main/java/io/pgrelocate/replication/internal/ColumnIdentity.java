package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationContext;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The source's column numbers ({@code attnum}) of every migrated table as the copy's snapshot saw them, kept in the
 * target database's state schema ({@code source_columns}) for as long as the database streams. A column dropped and
 * added back under its name and type keeps name, type and order, but its rows lost their values on the source only;
 * its new attnum is what gives it away. The table's oid likewise gives away a table dropped and created again
 * under its name with the same columns. A resumed run reads the numbers the copy recorded and never records again,
 * so a change made while no run was streaming is seen too. Not thread-safe.
 */
final class ColumnIdentity {
    private static final Logger log = LoggerFactory.getLogger(ColumnIdentity.class);
    static final String TABLE = "source_columns";
    private static final String SOURCE = "SELECT n.nspname, c.relname, a.attname::text, a.attnum, c.oid::int8"
            + SchemaWatch.MIGRATED_COLUMNS + " AND a.attnum IS NOT NULL";

    /** A table's oid and its columns' numbers by name. */
    record Table(long oid, Map<String, Integer> attnums) {
    }

    /** The tables by name. */
    record Numbers(Map<QualifiedName, Table> tables) {
    }

    private final String schema;
    private final String table;

    ColumnIdentity(String stateSchema) {
        this.schema = stateSchema;
        this.table = Sql.qualified(stateSchema, TABLE);
    }

    /**
     * The numbers at {@code snapshot} (exported by the slot's connection, which must not have run anything since),
     * as the catalog was when the copy read the rows.
     */
    static Numbers atSnapshot(MigrationContext context, String database, String snapshot) {
        try (Connection src = context.source().open(database, "columns")) {
            src.setAutoCommit(false);
            try (Statement st = src.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                st.execute("SET TRANSACTION SNAPSHOT " + Sql.literal(snapshot));
            }
            Numbers n = current(src, context.config().stateSchema());
            src.rollback();
            return n;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot read the column numbers of source database "
                    + database + " at the copy's snapshot", e);
        }
    }

    /** The numbers the source has now (or at the transaction's snapshot). */
    static Numbers current(Connection source, String stateSchema) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(SOURCE)) {
            ps.setString(1, stateSchema);
            return read(ps);
        }
    }

    /** Rows of schema, table, column, attnum and table oid. */
    private static Numbers read(PreparedStatement ps) throws SQLException {
        Map<QualifiedName, Table> out = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long oid = rs.getLong(5);
                out.computeIfAbsent(QualifiedName.read(rs, 1), k -> new Table(oid, new TreeMap<>())).attnums()
                        .put(rs.getString(3), rs.getInt(4));
            }
        }
        return new Numbers(out);
    }

    /** Replaces what {@code slot} recorded with {@code numbers}, in one transaction. Autocommit connection. */
    void record(Connection target, String slot, Numbers numbers) throws SQLException {
        List<String> schemas = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<Integer> attnums = new ArrayList<>();
        List<Long> oids = new ArrayList<>();
        numbers.tables().forEach((t, info) -> info.attnums().forEach((col, attnum) -> {
            schemas.add(t.schema());
            tables.add(t.name());
            columns.add(col);
            attnums.add(attnum);
            oids.add(info.oid());
        }));
        try (Statement st = target.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(schema));
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " (slot_name text NOT NULL, table_schema text NOT NULL, "
                    + "table_name text NOT NULL, column_name text NOT NULL, attnum int2 NOT NULL, table_oid oid NOT NULL, "
                    + "PRIMARY KEY (slot_name, table_schema, table_name, column_name))");
        }
        target.setAutoCommit(false);
        try (PreparedStatement del = target.prepareStatement("DELETE FROM " + table + " WHERE slot_name = ?");
             PreparedStatement ins = target.prepareStatement("INSERT INTO " + table + " SELECT ?, * FROM "
                     + "unnest(?::text[], ?::text[], ?::text[], ?::int2[], ?::int8[]::oid[])")) {
            del.setString(1, slot);
            del.execute();
            ins.setString(1, slot);
            ins.setArray(2, target.createArrayOf("text", schemas.toArray()));
            ins.setArray(3, target.createArrayOf("text", tables.toArray()));
            ins.setArray(4, target.createArrayOf("text", columns.toArray()));
            ins.setArray(5, target.createArrayOf("int2", attnums.toArray()));
            ins.setArray(6, target.createArrayOf("int8", oids.toArray()));
            ins.execute();
            target.commit();
        } catch (SQLException | RuntimeException e) {
            // turning autocommit back on would commit the delete alone
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(true);
        }
    }

    /** What the copy recorded; empty when nothing was (a run started by a version that did not record). */
    Optional<Numbers> recorded(Connection target, String slot) throws SQLException {
        try (PreparedStatement exists = target.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement ps = target.prepareStatement("SELECT table_schema, table_name, column_name, attnum, "
                + "table_oid::int8 FROM " + table + " WHERE slot_name = ?")) {
            ps.setString(1, slot);
            Numbers n = read(ps);
            return n.tables().isEmpty() ? Optional.empty() : Optional.of(n);
        }
    }

    /**
     * Every table the source has under a recorded name but with another oid (dropped and created again, or another
     * table renamed onto the name), and every column under a recorded name with another number: dropped and added
     * back (or another column renamed onto the name) after the copy. A table or column no longer there is the name
     * comparison's to report; a column dropped or added elsewhere in the table changes no other column's number.
     */
    static List<String> drift(Numbers recorded, Numbers now) {
        List<String> out = new ArrayList<>();
        recorded.tables().forEach((t, was) -> {
            Table current = now.tables().get(t);
            if (current == null) {
                return;
            }
            if (current.oid() != was.oid()) {
                out.add("table " + t.display() + " was dropped and created again (or replaced) on the source after the "
                        + "copy (oid " + was.oid() + " then, " + current.oid() + " now), so its rows there are not "
                        + "the ones the target holds");
                return;
            }
            was.attnums().forEach((col, attnum) -> {
                Integer n = current.attnums().get(col);
                if (n != null && n.intValue() != attnum) {
                    out.add("column " + col + " of table " + t.display() + " was dropped and added back on the source "
                            + "after the copy (attnum " + attnum + " then, " + n + " now), so its rows lost their "
                            + "values there but not on the target");
                }
            });
        });
        out.sort(null);
        return out;
    }

    /** The fix to print: recopy, or align the rows and record the new numbers. */
    String remedy(String database) {
        return "drop database " + database + " on the target and start the migration again to copy it anew, or make "
                + "the target's rows of the table the source's and set its attnum (or table_oid) in " + table
                + " of target database " + database + " to the new number, then start the migration again to resume";
    }

    /**
     * The check at cutover, on connections of its own: the source's numbers now against the recorded ones.
     *
     * @throws PgRelocateException {@link ErrorCode#SCHEMA_CHANGED} naming every column that changed
     */
    void check(MigrationContext context, String database, String slot) {
        try (Connection src = context.source().open(database, "schema-watch");
             Connection tgt = context.target().open(database, "schema-watch")) {
            Optional<Numbers> recorded = recorded(tgt, slot);
            if (recorded.isEmpty()) {
                log.warn("database {}: no column numbers were recorded at the copy (a run of an older version); a "
                        + "column dropped and added back under its name on the source cannot be seen", database);
                return;
            }
            List<String> drift = drift(recorded.get(), current(src, context.config().stateSchema()));
            if (!drift.isEmpty()) {
                throw new PgRelocateException(ErrorCode.SCHEMA_CHANGED, SchemaWatch.message(database, drift,
                        remedy(database)));
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot compare the column numbers of " + database
                    + " with those recorded at the copy", e);
        }
    }

    /** Removes the record once the database's migration is over. */
    void drop(Connection target) throws SQLException {
        try (Statement st = target.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
