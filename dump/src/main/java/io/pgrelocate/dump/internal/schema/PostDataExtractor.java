package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is built after the data: indexes (all at once), then primary keys, unique and exclusion
 * constraints (attached to the new indexes where possible), then foreign keys and NOT VALID checks
 * (grouped so that no two statements of a wave lock the same table), then triggers and rules.
 */
final class PostDataExtractor {
    private PostDataExtractor() {
    }

    private static final String USER_TABLE = Catalog.userSchema("t.relnamespace") + " AND "
            + Catalog.notExtensionMember("pg_class", "t.oid");

    /**
     * SQL: constraint {@code k} is an 18 temporal key ({@code WITHOUT OVERLAPS}), whose GiST index CREATE UNIQUE INDEX
     * cannot build: ADD CONSTRAINT builds it. Read by name so that older majors parse it.
     */
    private static final String TEMPORAL = "coalesce((to_jsonb(k) ->> 'conperiod')::boolean, false)";

    /**
     * SQL: table {@code t} is a small plain table (under 1 MB by the catalog's estimate, as the copy's small tables
     * are), whose PRIMARY KEY or UNIQUE constraint is added in one statement that builds its index, as pg_dump's
     * are, not built as an index and attached USING INDEX: the index of a small table gains nothing from building
     * next to the table's others, and at 10,000 tables the two statements cost the target nearly twice the one
     * (measured 4.5 s against 2.6 s of server CPU per 1,000 tables) and the source a deparse of every such index.
     * Not for an index {@code i} with storage options or its own tablespace: {@code pg_get_constraintdef} leaves its
     * options out (a fillfactor would be lost), so such a key keeps its index built from {@code pg_get_indexdef}.
     */
    private static final String ONE_STEP_KEY = "(t.relkind = 'r' AND NOT t.relispartition AND t.relpages < 128 "
            + "AND i.reloptions IS NULL AND i.reltablespace = 0)";

    /**
     * Every index (partition indexes too; a partitioned table's index is built {@code ON ONLY} it and its partitions'
     * indexes attached later), including those that back PRIMARY KEY and UNIQUE constraints of plain tables, which
     * are then attached with USING INDEX. Not the indexes that ADD CONSTRAINT builds itself: exclusion constraints'
     * and partitioned tables' keys.
     *
     * <p>Part {@code part} of {@code parts}: every index, in order, but the definition only of those whose oid falls
     * in this part (the others null). Deparsing is most of this read (20,000 indexes took 6 s of a busy server): parts
     * read side by side on several sessions deparse each index once, and give the same rows in the same order, so
     * {@link #indexes(List)} merges them row by row.
     */
    static List<DdlStatement> indexPart(Catalog catalog, int part, int parts) throws SQLException {
        // biggest table first: the longest builds start first, and do not run alone at the end of the wave
        String sql = "SELECT n.nspname, i.relname, CASE WHEN i.oid::bigint % " + parts + " = " + part
                + " THEN pg_get_indexdef(i.oid) END, tn.nspname, t.relname, t.relkind::text "
                + "FROM pg_index x JOIN pg_class i ON i.oid = "
                + "x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace "
                + "JOIN pg_namespace tn ON tn.oid = t.relnamespace "
                + "WHERE t.relkind IN ('r', 'm', 'p') AND " + USER_TABLE + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                + "WHERE k.conindid = i.oid AND k.conrelid = t.oid AND (k.contype = 'x' OR t.relkind = 'p' OR k.conparentid <> 0 "
                + "OR " + TEMPORAL + " OR " + ONE_STEP_KEY + ") "
                // relpages, not pg_relation_size: sizing every table would lock them all (10,000 tables, one lock table)
                + "AND k.contype IN ('p', 'u', 'x')) ORDER BY t.relpages DESC, 1, 2";
        return catalog.query(sql, rs -> new DdlStatement("index " + rs.getString(1) + "." + rs.getString(2),
                rs.getString(3), ofTable(rs.getString(6), rs.getString(4), rs.getString(5))));
    }

    /** The indexes from the parts of {@link #indexPart}, each row's definition from the part that has it. */
    static List<DdlStatement> indexes(List<List<DdlStatement>> parts) {
        List<DdlStatement> out = new ArrayList<>(parts.get(0));
        for (List<DdlStatement> p : parts.subList(1, parts.size())) {
            if (p.size() != out.size()) {
                throw new IllegalStateException("the index reads at one snapshot disagree: " + p.size() + " and "
                        + out.size() + " rows");
            }
            for (int i = 0; i < out.size(); i++) {
                if (!p.get(i).object().equals(out.get(i).object())) {
                    throw new IllegalStateException("the index reads at one snapshot disagree at " + p.get(i).object());
                }
                if (p.get(i).sql() != null) {
                    out.set(i, p.get(i));
                }
            }
        }
        return out;
    }

    /**
     * PRIMARY KEY, UNIQUE and EXCLUDE constraints: USING INDEX on plain tables (the index was built beforehand);
     * on partitioned tables and partitions {@code ALTER TABLE ONLY ... ADD CONSTRAINT}, the partitions' constraints
     * attached to their parents' afterwards.
     */
    static List<DdlStatement> keys(Catalog catalog) throws SQLException {
        // the definition only where ADD CONSTRAINT spells it out: a plain table's key is attached USING INDEX, and
        // 10,000 keys deparsed for nothing took seconds of a busy server
        String sql = "SELECT n.nspname, t.relname, k.conname, k.contype::text, t.relkind::text, "
                + "CASE WHEN k.contype = 'x' OR t.relkind = 'p' OR k.conparentid <> 0 OR " + TEMPORAL + " OR "
                + ONE_STEP_KEY + " THEN pg_get_constraintdef(k.oid) END, i.relname, k.condeferrable, k.condeferred, "
                + "k.conparentid <> 0, " + TEMPORAL + ", " + ONE_STEP_KEY + " "
                + "FROM pg_constraint k "
                + "JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "LEFT JOIN pg_class i ON i.oid = k.conindid WHERE k.contype IN ('p', 'u', 'x') "
                // relpages, as for the indexes: pg_relation_size would lock every table with a key on the source
                + "AND " + USER_TABLE + " ORDER BY t.relpages DESC, 1, 2, 3";
        return catalog.query(sql, rs -> {
            String head = "ALTER TABLE ONLY " + Sql.qualified(rs.getString(1), rs.getString(2)) + " ADD CONSTRAINT "
                    + Sql.ident(rs.getString(3));
            String type = rs.getString(4);
            String ddl;
            // a partition's key is built by ADD CONSTRAINT itself: USING INDEX would make its inherited NOT NULL
            // constraints local (18)
            if (type.equals("x") || rs.getString(5).equals("p") || rs.getBoolean(10) || rs.getBoolean(11)
                    || rs.getBoolean(12)) {
                ddl = head + " " + rs.getString(6);
            } else {
                ddl = head + (type.equals("p") ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX "
                        + Sql.ident(rs.getString(7)) + (rs.getBoolean(8) ? " DEFERRABLE" : "")
                        + (rs.getBoolean(9) ? " INITIALLY DEFERRED" : "");
            }
            return new DdlStatement("constraint " + rs.getString(3) + " on " + rs.getString(1) + "."
                    + rs.getString(2), ddl, ofTable(rs.getString(5), rs.getString(1), rs.getString(2)));
        });
    }

    /**
     * The table a statement may be run for as soon as its rows are copied: a plain table or leaf partition, whose
     * index or key depends on nothing else (a partitioned parent's waits for the attachments, a materialized
     * view's for its refresh).
     */
    private static String ofTable(String relkind, String schema, String name) {
        return relkind.equals("r") ? Sql.qualified(schema, name) : null;
    }

    /**
     * {@code ALTER INDEX parent ATTACH PARTITION child} for every partition index (with its constraint, if any),
     * one wave per level, deepest first, so that each parent index becomes valid when its last child is attached.
     */
    static List<List<DdlStatement>> indexAttachments(Catalog catalog) throws SQLException {
        String sql = "WITH RECURSIVE depth(child, parent, level) AS (SELECT h.inhrelid, h.inhparent, 1 FROM pg_inherits h "
                + "JOIN pg_class c ON c.oid = h.inhrelid WHERE c.relkind IN ('i', 'I') UNION ALL SELECT d.child, h.inhparent, "
                + "d.level + 1 FROM depth d JOIN pg_inherits h ON h.inhrelid = d.parent) "
                + "SELECT max(d.level), pn.nspname, p.relname, cn.nspname, c.relname FROM depth d JOIN pg_inherits h "
                + "ON h.inhrelid = d.child "
                + "JOIN pg_class c ON c.oid = h.inhrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace "
                + "JOIN pg_class p ON p.oid = h.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace "
                + "JOIN pg_index x ON x.indexrelid = c.oid JOIN pg_class t ON t.oid = x.indrelid WHERE " + USER_TABLE
                + " GROUP BY 2, 3, 4, 5 ORDER BY 1 DESC, 4, 5";
        java.util.TreeMap<Integer, List<DdlStatement>> byLevel = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        catalog.query(sql, rs -> byLevel.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new DdlStatement(
                "index " + rs.getString(4) + "." + rs.getString(5), "ALTER INDEX " + QualifiedName.read(rs, 2).sql()
                + " ATTACH PARTITION " + QualifiedName.read(rs, 4).sql())));
        return new ArrayList<>(byLevel.values());
    }

    /** Foreign keys and not-yet-validated checks, in waves where no two statements touch the same table. */
    static List<List<DdlStatement>> foreignKeys(Catalog catalog) throws SQLException {
        String sql = "SELECT n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid), k.conrelid, k.confrelid, "
                + "t.relkind::text FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n "
                + "ON n.oid = t.relnamespace WHERE (k.contype = 'f' OR (k.contype = 'c' AND NOT k.convalidated "
                // an 18 NOT VALID NOT NULL of the table's own, left out of its CREATE TABLE by ColumnReader
                + "AND k.conislocal) OR (k.contype = 'n' AND NOT k.convalidated AND k.conislocal AND k.coninhcount = 0)) "
                + "AND k.conparentid = 0 AND " + USER_TABLE + " ORDER BY 1, 2, 3";
        List<List<DdlStatement>> waves = new ArrayList<>();
        List<Set<Long>> locked = new ArrayList<>();
        catalog.query(sql, rs -> {
            String only = rs.getString(7).equals("p") ? "" : "ONLY ";
            DdlStatement fk = new DdlStatement("constraint " + rs.getString(3) + " on " + rs.getString(1) + "."
                    + rs.getString(2), "ALTER TABLE " + only + Sql.qualified(rs.getString(1), rs.getString(2))
                    + " ADD CONSTRAINT " + Sql.ident(rs.getString(3)) + " " + rs.getString(4));
            Set<Long> tables = new HashSet<>(List.of(rs.getLong(5), rs.getLong(6)));
            tables.remove(0L);
            int wave = 0;
            while (wave < waves.size() && locked.get(wave).stream().anyMatch(tables::contains)) {
                wave++;
            }
            if (wave == waves.size()) {
                waves.add(new ArrayList<>());
                locked.add(new HashSet<>());
            }
            waves.get(wave).add(fk);
            locked.get(wave).addAll(tables);
            return null;
        });
        return waves;
    }

    /**
     * Triggers and rules, then (a wave later) the ALTERs that set their enabled state, then (another wave, as
     * the parent's ALTER may recurse to its partitions) the states of partitions' clones that differ.
     */
    record Triggers(List<DdlStatement> create, List<DdlStatement> state, List<DdlStatement> cloneStates) {
    }

    /** User triggers (not those cloned onto partitions) and rules, with their enabled state. */
    static Triggers triggersAndRules(Catalog catalog) throws SQLException {
        String sql = "SELECT 'trigger ' || g.tgname || ' on ' || n.nspname || '.' || t.relname, "
                + "pg_get_triggerdef(g.oid), g.tgenabled::text, n.nspname, t.relname, g.tgname "
                + "FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND " + USER_TABLE
                + " UNION ALL SELECT 'rule ' || r.rulename || ' on ' || n.nspname || '.' || t.relname, "
                + "pg_get_ruledef(r.oid), r.ev_enabled::text, n.nspname, t.relname, r.rulename "
                + "FROM pg_rewrite r JOIN pg_class t ON t.oid = r.ev_class JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "WHERE r.rulename <> '_RETURN' AND " + USER_TABLE + " ORDER BY 1";
        List<DdlStatement> out = new ArrayList<>();
        List<DdlStatement> states = new ArrayList<>();
        catalog.query(sql, rs -> {
            String what = rs.getString(1);
            out.add(new DdlStatement(what, rs.getString(2)));
            String state = switch (rs.getString(3)) {
                case "D" -> "DISABLE";
                case "R" -> "ENABLE REPLICA";
                case "A" -> "ENABLE ALWAYS";
                default -> null;
            };
            if (state != null) {
                String kind = what.startsWith("trigger") ? " TRIGGER " : " RULE ";
                states.add(new DdlStatement(what, "ALTER TABLE " + QualifiedName.read(rs, 4).sql() + " " + state + kind
                        + Sql.ident(rs.getString(6))));
            }
            return null;
        });
        return new Triggers(out, states, cloneStates(catalog));
    }

    /**
     * A partition's clone of its parent's trigger, where its state is not plain enabled or not its parent's
     * (whether the parent's ALTER recursed differs by major). Clones are internal triggers before 15.
     */
    private static List<DdlStatement> cloneStates(Catalog catalog) throws SQLException {
        String sql = "SELECT 'trigger ' || g.tgname || ' on ' || n.nspname || '.' || t.relname, n.nspname, t.relname, "
                + "CASE g.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'R' THEN 'ENABLE REPLICA' WHEN 'A' THEN 'ENABLE ALWAYS' "
                + "ELSE 'ENABLE' END, g.tgname "
                + "FROM pg_trigger g JOIN pg_trigger p ON p.oid = g.tgparentid JOIN pg_class t ON t.oid = g.tgrelid "
                + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE (g.tgenabled <> 'O' OR g.tgenabled <> p.tgenabled) "
                + "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.oid = g.tgconstraint AND k.contype = 'f') AND "
                + USER_TABLE + " ORDER BY 1";
        return catalog.query(sql, rs -> new DdlStatement(rs.getString(1) + " (state)", "ALTER TABLE ONLY "
                + QualifiedName.read(rs, 2).sql() + " " + rs.getString(4) + " TRIGGER " + Sql.ident(rs.getString(5))));
    }
}
