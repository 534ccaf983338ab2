package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A source relation (from a pgoutput Relation message) matched against its table on the target. The
 * match is strict: every column the source sends must exist on the target and every column the target
 * stores (not generated) must be sent, otherwise the source schema changed and applying would lose data.
 * {@code rowSecurity}: the table's row security applies to the apply role (not a superuser, not BYPASSRLS, and
 * not the owner of a table without FORCE), which refuses COPY FROM (0A000) but lets INSERT through its policies.
 */
record TargetRelation(PgOutputMessage.Relation source, String qualified, boolean partitioned,
                      Map<Shape, String> statements, Map<String, String> types, boolean rowSecurity) {

    /**
     * What an apply statement's text depends on, besides the relation: the operation, whether the old row is
     * found by key, and the SET and WHERE columns as bit sets (-1: too many columns to cache).
     */
    record Shape(char op, boolean byKey, long set, long where) {
        boolean cacheable() {
            return set != -1 && where != -1;
        }

        /** The column indexes as a bit set; -1 (never cached) past 63 columns. */
        static long mask(List<Integer> columns) {
            long m = 0;
            for (int i : columns) {
                if (i >= 63) {
                    return -1;
                }
                m |= 1L << i;
            }
            return m;
        }
    }

    static TargetRelation match(Connection target, PgOutputMessage.Relation r) throws SQLException {
        // the table found by its raw schema and name, never by parsing a quoted name as regclass
        // row_security_active: as the server decides for this session's role, which the apply keeps (SET ROLE is local)
        String sql = "SELECT a.attname, a.attgenerated <> '', c.relkind = 'p', tn.nspname, t.typname, "
                + "row_security_active(c.oid) "
                + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid "
                + "JOIN pg_namespace tn ON tn.oid = t.typnamespace WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?) AND c.relname = ? "
                + "AND a.attnum > 0 AND NOT a.attisdropped "
                + "ORDER BY a.attnum";
        Set<String> stored = new LinkedHashSet<>();
        // the column types by schema and name, not format_type's SQL spelling, whose "character" is char(1)
        Map<String, String> types = new HashMap<>();
        boolean partitioned = false;
        boolean rowSecurity = false;
        boolean found = false;
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            ps.setString(1, r.schema());
            ps.setString(2, r.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found = true;
                    partitioned = rs.getBoolean(3);
                    rowSecurity = rs.getBoolean(6);
                    if (!rs.getBoolean(2)) {
                        stored.add(rs.getString(1));
                        types.put(rs.getString(1), Sql.qualified(rs.getString(4), rs.getString(5)));
                    }
                }
            }
        }
        String table = r.schema() + "." + r.name();
        if (!found) {
            throw changed("table " + table + " is not on the target (created on the source after the copy?); "
                    + "create it on the target and restart, or migrate again");
        }
        List<String> sent = new ArrayList<>();
        for (PgOutputMessage.Column c : r.columns()) {
            sent.add(c.name());
            if (!stored.contains(c.name())) {
                throw changed("column " + c.name() + " of table " + table + " comes from the source but the target "
                        + "has no such column (added on the source after the copy?); add it on the target and restart");
            }
        }
        for (String col : stored) {
            if (!sent.contains(col)) {
                throw changed("column " + col + " of table " + table + " is on the target but no longer sent by "
                        + "the source (dropped or renamed there?); align the target and restart");
            }
        }
        return new TargetRelation(r, Sql.qualified(r.schema(), r.name()), partitioned, new HashMap<>(),
                Map.copyOf(types), rowSecurity);
    }

    private static PgRelocateException changed(String what) {
        return new PgRelocateException(ErrorCode.SCHEMA_CHANGED, "the source schema changed while streaming: " + what);
    }

    /** The statement text for {@code shape}, built once per relation (and per Relation message). */
    String sql(Shape shape, Supplier<String> build) {
        if (!shape.cacheable()) {
            return build.get();
        }
        return statements.computeIfAbsent(shape, k -> build.get());
    }

    boolean hasKey() {
        return source.columns().stream().anyMatch(PgOutputMessage.Column::key);
    }

    String column(int i) {
        return Sql.ident(source.columns().get(i).name());
    }

    /** The target type of column {@code i}, schema-qualified and quoted, without a type modifier. */
    String type(int i) {
        return types.get(source.columns().get(i).name());
    }

    int size() {
        return source.columns().size();
    }

    boolean isKey(int i) {
        return source.columns().get(i).key();
    }

    /**
     * The table for UPDATE, DELETE and TRUNCATE: {@code ONLY} for a plain table, since an inheritance child's
     * changes arrive as its own; not for a partitioned table, whose partitions' changes arrive through it.
     */
    String only() {
        return partitioned ? qualified : "ONLY " + qualified;
    }

    String display() {
        return source.schema() + "." + source.name();
    }
}
