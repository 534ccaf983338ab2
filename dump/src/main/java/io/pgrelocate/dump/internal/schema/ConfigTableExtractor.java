package io.pgrelocate.dump.internal.schema;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The extensions' configuration tables ({@code pg_extension.extconfig}) whose rows are copied, as pg_dump copies
 * them: each with its filter ({@code extcondition}), in an order where a table referenced by another's foreign key
 * comes first, as the extension created those keys already. Configuration sequences are among the sequences whose
 * values are set ({@link SchemaExtractor}).
 */
final class ConfigTableExtractor {
    private ConfigTableExtractor() {
    }

    /** A configuration table as read, with the configuration tables its foreign keys reference. */
    private record Row(long oid, ConfigTable table, List<Long> references) {
    }

    static List<ConfigTable> configTables(Catalog catalog) throws SQLException {
        // extconfig and extcondition are parallel arrays; a multi-argument unnest keeps each table with its filter
        String sql = "SELECT c.oid, n.nspname, c.relname, x.extname, cfg.condition, ARRAY(SELECT a.attname::text "
                + "FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                + "AND a.attgenerated = '' ORDER BY a.attnum), ARRAY(SELECT k.confrelid::bigint FROM pg_constraint k "
                + "WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid <> c.oid) "
                + "FROM pg_extension x CROSS JOIN LATERAL unnest(x.extconfig, x.extcondition) AS cfg(rel, condition) "
                + "JOIN pg_class c ON c.oid = cfg.rel JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind = 'r' AND " + Catalog.userSchema("c.relnamespace") + " ORDER BY 2, 3";
        List<Row> rows = catalog.query(sql, rs -> new Row(rs.getLong(1), new ConfigTable(new TableData(
                rs.getString(2), rs.getString(3), List.of((String[]) rs.getArray(6).getArray()), -1, -1, false),
                rs.getString(4), rs.getString(5)), List.of((Long[]) rs.getArray(7).getArray())));
        return referencedFirst(rows);
    }

    /** The tables, each after the configuration tables it references; a cycle keeps the name order. */
    private static List<ConfigTable> referencedFirst(List<Row> rows) {
        Map<Long, Row> byOid = new LinkedHashMap<>();
        rows.forEach(r -> byOid.put(r.oid(), r));
        List<ConfigTable> out = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        for (Row r : rows) {
            place(r, byOid, placed, new HashSet<>(), out);
        }
        return out;
    }

    private static void place(Row r, Map<Long, Row> byOid, Set<Long> placed, Set<Long> visiting,
                              List<ConfigTable> out) {
        if (placed.contains(r.oid()) || !visiting.add(r.oid())) {
            return;
        }
        for (long ref : r.references()) {
            Row referenced = byOid.get(ref);
            if (referenced != null) {
                place(referenced, byOid, placed, visiting, out);
            }
        }
        placed.add(r.oid());
        out.add(r.table());
    }
}
