package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where schema changes are not captured, finds drift between source and target while streaming: every so
 * often it compares the tables of the migrated schemas and their columns (name, type and order) on both sides, and
 * a difference seen on two checks in a row stops the database. A Relation message that no longer matches
 * catches a changed table only when it is next written; this catches a new table, and a change to a table
 * nobody writes, before a cutover could complete over them. Not thread-safe.
 */
final class SchemaWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaWatch.class);
    private static final int SHOWN = 10;
    /** The migrated tables and their live columns (none: one row of NULLs); the parameter is the state schema. */
    static final String MIGRATED_COLUMNS = " FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attribute a ON a.attrelid = c.oid "
            + "AND a.attnum > 0 AND NOT a.attisdropped WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' "
            + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
            + "AND n.nspname <> ? AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
            + "AND d.objid = c.oid AND d.deptype = 'e')";
    private static final String TABLES = "SELECT n.nspname, c.relname, array_agg(a.attname::text ORDER BY a.attnum), "
            + "array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)" + MIGRATED_COLUMNS + " GROUP BY 1, 2";
    private static final String REMEDY = "apply the same change to the target and start the migration again to "
            + "resume, or migrate again with DDL capture on";

    private final MigrationContext context;
    private final String database;
    private final String slot;
    private final ColumnIdentity identity;
    private final long intervalNanos;
    private Connection source;
    private Connection target;
    private long nextCheck;
    private List<String> lastDrift = List.of();
    /** What the copy recorded, read once (null: not read yet; empty: nothing recorded). */
    private Optional<ColumnIdentity.Numbers> recorded;

    SchemaWatch(MigrationContext context, String database, String slot) {
        this.context = context;
        this.database = database;
        this.slot = slot;
        this.identity = new ColumnIdentity(context.config().stateSchema());
        Duration interval = context.config().statusInterval().multipliedBy(5);
        this.intervalNanos = Math.max(interval.toNanos(), Duration.ofSeconds(1).toNanos());
        this.nextCheck = System.nanoTime() + intervalNanos;
    }

    /**
     * Compares the two sides when the interval has passed. A difference must be seen twice in a row, so a
     * change made on both sides, target first, does not stop the database in between. A column whose source
     * number changed since the copy stops it at once: nothing done to the target can make that right by itself.
     *
     * @throws PgRelocateException {@link ErrorCode#SCHEMA_CHANGED} naming the tables and columns that differ
     */
    void maybeCheck() {
        long now = System.nanoTime();
        if (now < nextCheck) {
            return;
        }
        nextCheck = now + intervalNanos;
        List<String> drift;
        List<String> renumbered;
        try {
            drift = drift();
            renumbered = renumbered();
        } catch (SQLException e) {
            log.debug("database {}: cannot compare the schemas now ({}); next time", database, e.getMessage());
            close();
            return;
        }
        if (!renumbered.isEmpty()) {
            List<String> all = new ArrayList<>(drift);
            all.addAll(renumbered);
            throw new PgRelocateException(ErrorCode.SCHEMA_CHANGED, message(database, all, identity.remedy(database)));
        }
        if (!drift.isEmpty() && drift.equals(lastDrift)) {
            throw new PgRelocateException(ErrorCode.SCHEMA_CHANGED, message(database, drift, REMEDY));
        }
        lastDrift = drift;
    }

    /** The columns whose source attnum is no longer the one the copy recorded. */
    private List<String> renumbered() throws SQLException {
        if (recorded == null) {
            recorded = identity.recorded(target, slot);
            if (recorded.isEmpty()) {
                log.warn("database {}: no column numbers were recorded at the copy (a run of an older version); a "
                        + "column dropped and added back under its name on the source cannot be seen", database);
            }
        }
        return recorded.isEmpty() ? List.of()
                : ColumnIdentity.drift(recorded.get(), ColumnIdentity.current(source, context.config().stateSchema()));
    }

    static String message(String database, List<String> drift, String remedy) {
        return "database " + database + ": the source schema changed while streaming and the change is not "
                + "replicated (DDL capture is off or needs a superuser on the source): " + String.join("; ",
                drift.subList(0, Math.min(SHOWN, drift.size()))) + (drift.size() > SHOWN ? "; ..." : "")
                + "; " + remedy;
    }

    /** Every difference in tables and columns, source side first. */
    List<String> drift() throws SQLException {
        if (source == null) {
            source = context.source().open(database, "schema-watch");
            target = context.target().open(database, "schema-watch");
        }
        Map<String, List<String[]>> src = tables(source);
        Map<String, List<String[]>> tgt = tables(target);
        List<String> out = new ArrayList<>();
        Map<String, String> reordered = new TreeMap<>();
        for (Map.Entry<String, List<String[]>> e : src.entrySet()) {
            List<String[]> other = tgt.get(e.getKey());
            if (other == null) {
                out.add("table " + e.getKey() + " is on the source but not on the target (created after the copy?)");
            } else {
                columns(e.getKey(), e.getValue(), other, out);
                order(e.getKey(), e.getValue(), other, reordered);
            }
        }
        // a column dropped and added back under its name and type moves to the end, and its rows' values differ now
        reordered.forEach((table, columns) -> out.add("columns of table " + table + " are in another order on the "
                + "source (" + columns + ") than on the target (a column dropped and added back there?)"));
        for (String t : tgt.keySet()) {
            if (!src.containsKey(t)) {
                out.add("table " + t + " is on the target but no longer on the source (dropped or renamed there?)");
            }
        }
        return out;
    }

    private static void columns(String table, List<String[]> src, List<String[]> tgt, List<String> out) {
        Map<String, String> s = byName(src);
        Map<String, String> t = byName(tgt);
        s.forEach((col, type) -> {
            if (!t.containsKey(col)) {
                out.add("column " + col + " of table " + table + " is on the source but not on the target");
            } else if (!Objects.equals(type, t.get(col))) {
                out.add("column " + col + " of table " + table + " is " + type + " on the source but " + t.get(col)
                        + " on the target");
            }
        });
        t.keySet().stream().filter(col -> !s.containsKey(col)).forEach(col -> out.add("column " + col + " of table "
                + table + " is on the target but no longer on the source (dropped or renamed there?)"));
    }

    /** The table's columns in source order where that differs from the target's, same names on both sides. */
    private static void order(String table, List<String[]> src, List<String[]> tgt, Map<String, String> reordered) {
        List<String> sourceOrder = src.stream().map(c -> c[0]).toList();
        List<String> targetOrder = tgt.stream().map(c -> c[0]).toList();
        if (!sourceOrder.equals(targetOrder) && byName(src).keySet().equals(byName(tgt).keySet())) {
            reordered.put(table, String.join(", ", sourceOrder));
        }
    }

    private static Map<String, String> byName(List<String[]> columns) {
        Map<String, String> out = new TreeMap<>();
        columns.forEach(c -> out.put(c[0], c[1]));
        return out;
    }

    private Map<String, List<String[]>> tables(Connection c) throws SQLException {
        Map<String, List<String[]>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(TABLES)) {
            ps.setString(1, context.config().stateSchema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] names = strings(rs.getArray(3));
                    String[] types = strings(rs.getArray(4));
                    List<String[]> cols = new ArrayList<>();
                    for (int i = 0; i < names.length; i++) {
                        if (names[i] != null) {
                            cols.add(new String[] {names[i], types[i]});
                        }
                    }
                    out.put(rs.getString(1) + "." + rs.getString(2), cols);
                }
            }
        }
        return out;
    }

    private static String[] strings(Array a) throws SQLException {
        return a == null ? new String[0] : Arrays.copyOf((Object[]) a.getArray(), ((Object[]) a.getArray()).length,
                String[].class);
    }

    @Override
    public void close() {
        for (Connection c : new Connection[] {source, target}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException ignored) {
                // reopened on the next check
            }
        }
        source = null;
        target = null;
    }
}
