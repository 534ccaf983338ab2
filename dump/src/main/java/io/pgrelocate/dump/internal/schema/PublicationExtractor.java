package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source's publications, as pg_dump recreates them: {@code CREATE PUBLICATION} with its options (FOR ALL TABLES
 * or, member by member, {@code ADD TABLE ONLY} with column lists and row filters and {@code ADD TABLES IN SCHEMA}),
 * its comment, and its owner a wave later. They are built after the tables exist and before the tables change owner
 * (adding a table needs its ownership). A publication pgrelocate made itself ({@link Names#isOurs}, one per database
 * in continuous mode) is never copied, nor are members in excluded schemas (the DDL capture table). A publication
 * that uses what the target's major lacks (row filters, column lists and schemas before 15, generated columns
 * before 18) is reported before the copy and left out whole, as a publication missing part of its members would
 * publish something else than the source's.
 */
final class PublicationExtractor {
    private PublicationExtractor() {
    }

    /** The statements creating each publication, and (for a later wave) those giving it to its owner. */
    record Publications(List<DdlStatement> create, List<DdlStatement> owners) {
    }

    static Publications publications(Catalog catalog) throws SQLException {
        boolean v15 = catalog.version() >= 150000;
        Map<Long, List<String>> members = members(catalog, v15);
        String schemas = v15 ? "ARRAY(SELECT n.nspname::text FROM pg_publication_namespace pn JOIN pg_namespace n "
                + "ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid AND " + Catalog.userSchema("n.oid") + " ORDER BY 1)"
                : "ARRAY[]::text[]";
        String features = v15 ? "EXISTS (SELECT 1 FROM pg_publication_rel pr WHERE pr.prpubid = p.oid AND (pr.prqual IS "
                + "NOT NULL OR pr.prattrs IS NOT NULL))" : "false";
        String sql = "SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, "
                + "p.pubviaroot, pg_get_userbyid(p.pubowner), obj_description(p.oid, 'pg_publication'), "
                // 18's publish_generated_columns ('s' stored, 'n' none), read by name so that older majors parse it
                + "to_jsonb(p) ->> 'pubgencols', p.oid, " + schemas + ", " + features
                + " FROM pg_publication p ORDER BY 1";
        List<DdlStatement> create = new ArrayList<>();
        List<DdlStatement> owners = new ArrayList<>();
        catalog.query(sql, rs -> {
            String name = rs.getString(1);
            if (Names.isOurs(name) || !reproducible(catalog, rs)) {
                return null;
            }
            create.add(new DdlStatement("publication " + name, createSql(rs,
                    members.getOrDefault(rs.getLong(11), List.of()))));
            String owner = rs.getString(8);
            if (catalog.targetHasRole(owner)) {
                owners.add(new DdlStatement("owner of publication " + name, "ALTER PUBLICATION " + Sql.ident(name)
                        + " OWNER TO " + Sql.ident(owner)));
            } else {
                catalog.warn("publication " + name + ": owner role " + owner + " does not exist on the target; it is "
                        + "owned by the migrating role instead");
            }
            return null;
        });
        return new Publications(create, owners);
    }

    /** Whether the target's major has everything the publication uses; if not, says so in a warning. */
    private static boolean reproducible(Catalog catalog, ResultSet rs) throws SQLException {
        int target = catalog.options().targetVersionNum();
        String missing = null;
        if (target < 150000 && (rs.getBoolean(13) || ((String[]) rs.getArray(12).getArray()).length > 0)) {
            missing = "row filters, column lists and FOR TABLES IN SCHEMA need PostgreSQL 15";
        } else if (target < 180000 && stored(rs.getString(10))) {
            missing = "publish_generated_columns = stored needs PostgreSQL 18";
        }
        if (missing != null) {
            catalog.warn("publication " + rs.getString(1) + " is not copied: " + missing + " on the target");
        }
        return missing == null;
    }

    private static boolean stored(String generatedColumns) {
        return "s".equals(generatedColumns) || "true".equals(generatedColumns);
    }

    /**
     * Each publication's tables (by publication oid) as {@code "schema"."table" ("col", ...) WHERE (filter)}: names
     * come raw and are quoted here; the filter is the server's deparse of the expression.
     */
    private static Map<Long, List<String>> members(Catalog catalog, boolean v15) throws SQLException {
        String sql = "SELECT pr.prpubid, n.nspname, c.relname, " + (v15 ? "CASE WHEN pr.prattrs IS NOT NULL THEN "
                + "ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = pr.prrelid AND a.attnum = "
                + "ANY (pr.prattrs) ORDER BY a.attnum) END, pg_get_expr(pr.prqual, pr.prrelid)" : "NULL::text[], NULL")
                + " FROM pg_publication_rel pr JOIN pg_class c ON c.oid = pr.prrelid JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE " + Catalog.userSchema("c.relnamespace") + " ORDER BY 1, 2, 3";
        Map<Long, List<String>> out = new HashMap<>();
        catalog.query(sql, rs -> {
            StringBuilder member = new StringBuilder(QualifiedName.read(rs, 2).sql());
            if (rs.getArray(4) != null) {
                member.append(" (").append(Sql.identList(Arrays.asList((String[]) rs.getArray(4).getArray()))).append(')');
            }
            if (rs.getString(5) != null) {
                member.append(" WHERE (").append(rs.getString(5)).append(')');
            }
            return out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(member.toString());
        });
        return out;
    }

    private static String createSql(ResultSet rs, List<String> tables) throws SQLException {
        String name = Sql.ident(rs.getString(1));
        List<String> publish = new ArrayList<>();
        String[] actions = {"insert", "update", "delete", "truncate"};
        for (int i = 0; i < actions.length; i++) {
            if (rs.getBoolean(3 + i)) {
                publish.add(actions[i]);
            }
        }
        StringBuilder ddl = new StringBuilder("CREATE PUBLICATION ").append(name)
                .append(rs.getBoolean(2) ? " FOR ALL TABLES" : "").append(" WITH (publish = ")
                .append(Sql.literal(String.join(", ", publish))).append(", publish_via_partition_root = ")
                .append(rs.getBoolean(7)).append(stored(rs.getString(10)) ? ", publish_generated_columns = stored" : "")
                .append(')');
        for (String table : tables) {
            ddl.append("; ALTER PUBLICATION ").append(name).append(" ADD TABLE ONLY ").append(table);
        }
        for (String schema : (String[]) rs.getArray(12).getArray()) {
            ddl.append("; ALTER PUBLICATION ").append(name).append(" ADD TABLES IN SCHEMA ").append(Sql.ident(schema));
        }
        if (rs.getString(9) != null) {
            ddl.append("; COMMENT ON PUBLICATION ").append(name).append(" IS ").append(Sql.literal(rs.getString(9)));
        }
        return ddl.toString();
    }
}
