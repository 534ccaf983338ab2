package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Table settings that need the indexes or must wait for the data: REPLICA IDENTITY, CLUSTER ON, statistics
 * targets of index columns, and ENABLE / FORCE ROW LEVEL SECURITY (after the copy, so that it cannot hide rows
 * from a copying role that does not bypass it). The catalog returns raw names (schema, relation, index or
 * column); the statements are built and quoted here.
 */
final class RelationDetailsExtractor {
    private RelationDetailsExtractor() {
    }

    private static final String FROM_TABLES = " FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace WHERE "
            + Catalog.userSchema("t.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "t.oid");

    /** Rows: description, kind, schema, relation, a second name (index or column) and the clause's own text. */
    static List<DdlStatement> details(Catalog catalog) throws SQLException {
        String sql = "SELECT 'replica identity of ' || n.nspname || '.' || t.relname, 'replica', n.nspname, t.relname, "
                + "(SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = t.oid "
                + "AND x.indisreplident), t.relreplident::text" + FROM_TABLES
                + " AND t.relkind IN ('r', 'p', 'm') AND t.relreplident IN ('f', 'n', 'i')"
                + " UNION ALL SELECT 'cluster index of ' || n.nspname || '.' || t.relname, 'cluster', n.nspname, "
                + "t.relname, i.relname, NULL" + FROM_TABLES.replaceFirst(" WHERE ",
                " JOIN pg_index x ON x.indrelid = t.oid AND x.indisclustered JOIN pg_class i ON i.oid = x.indexrelid WHERE ")
                + " UNION ALL SELECT 'statistics target of ' || n.nspname || '.' || i.relname, 'statistics', n.nspname, "
                + "i.relname, NULL, a.attnum || ' SET STATISTICS ' || a.attstattarget"
                + FROM_TABLES.replaceFirst(" WHERE ", " JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = "
                + "x.indexrelid JOIN pg_attribute a ON a.attrelid = i.oid AND a.attnum > 0 WHERE ")
                + " AND COALESCE(a.attstattarget::int, -1) >= 0"
                + " UNION ALL SELECT 'row level security of ' || n.nspname || '.' || t.relname, 'security', n.nspname, "
                + "t.relname, NULL, CASE WHEN t.relrowsecurity THEN ' ENABLE ROW LEVEL SECURITY' ELSE '' END || CASE WHEN "
                + "t.relrowsecurity AND t.relforcerowsecurity THEN ',' ELSE '' END || CASE WHEN t.relforcerowsecurity "
                + "THEN ' FORCE ROW LEVEL SECURITY' ELSE '' END" + FROM_TABLES
                + " AND (t.relrowsecurity OR t.relforcerowsecurity) ORDER BY 1";
        List<DdlStatement> out = new ArrayList<>(catalog.query(sql, RelationDetailsExtractor::statement));
        out.addAll(catalog.query(COLUMN_DETAILS, RelationDetailsExtractor::statement));
        out.removeIf(s -> s.sql() == null);
        return out;
    }

    private static DdlStatement statement(ResultSet rs) throws SQLException {
        String relation = Sql.qualified(rs.getString(3), rs.getString(4));
        String second = rs.getString(5);
        String text = rs.getString(6);
        String sql = switch (rs.getString(2)) {
            case "replica" -> replicaIdentity(relation, text, second);
            case "cluster" -> "ALTER TABLE ONLY " + relation + " CLUSTER ON " + Sql.ident(second);
            case "statistics" -> "ALTER INDEX " + relation + " ALTER COLUMN " + text;
            case "security" -> "ALTER TABLE ONLY " + relation + text;
            case "partition default" -> "ALTER TABLE ONLY " + relation + " ALTER COLUMN " + Sql.ident(second) + " " + text;
            case "view default" -> "ALTER VIEW " + relation + " ALTER COLUMN " + Sql.ident(second) + " " + text;
            case "compression" -> "ALTER MATERIALIZED VIEW " + relation + " ALTER COLUMN " + Sql.ident(second) + " "
                    + text;
            default -> throw new IllegalStateException("unknown relation detail " + rs.getString(2));
        };
        return new DdlStatement(rs.getString(1), sql);
    }

    /** Null for an index flagged as the replica identity that is gone (as the server-built text was). */
    private static String replicaIdentity(String relation, String kind, String index) {
        String identity = switch (kind) {
            case "f" -> "FULL";
            case "n" -> "NOTHING";
            default -> index == null ? null : "USING INDEX " + Sql.ident(index);
        };
        return identity == null ? null : "ALTER TABLE ONLY " + relation + " REPLICA IDENTITY " + identity;
    }

    private static final String COLUMN = "n.nspname || '.' || t.relname || '.' || a.attname";
    /**
     * Column settings CREATE TABLE cannot carry: a partition's own default where it differs from its parent's
     * (PARTITION OF copies the parent's), a view column's default, and a materialized view column's compression.
     */
    private static final String COLUMN_DETAILS = "SELECT 'default of ' || " + COLUMN + ", 'partition default', "
            + "n.nspname, t.relname, a.attname, COALESCE('SET DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), "
            + "'DROP DEFAULT')" + FROM_TABLES.replaceFirst(" WHERE ", " JOIN pg_attribute a "
            + "ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped JOIN pg_inherits i ON i.inhrelid = t.oid "
            + "JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname LEFT JOIN pg_attrdef d "
            + "ON d.adrelid = t.oid AND d.adnum = a.attnum LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND "
            + "pd.adnum = pa.attnum WHERE ") + " AND t.relispartition AND a.attgenerated = '' AND a.attidentity = '' "
            + "AND pg_get_expr(d.adbin, d.adrelid) IS DISTINCT FROM pg_get_expr(pd.adbin, pd.adrelid)"
            + " UNION ALL SELECT 'default of ' || " + COLUMN + ", 'view default', n.nspname, t.relname, a.attname, "
            + "'SET DEFAULT ' || pg_get_expr(d.adbin, d.adrelid)" + FROM_TABLES.replaceFirst(" WHERE ",
            " JOIN pg_attrdef d ON d.adrelid = t.oid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.adnum "
            + "WHERE ") + " AND t.relkind = 'v'"
            + " UNION ALL SELECT 'compression of ' || " + COLUMN + ", 'compression', n.nspname, t.relname, a.attname, "
            + "'SET COMPRESSION ' || CASE a.attcompression WHEN 'l' THEN 'lz4' ELSE 'pglz' END"
            + FROM_TABLES.replaceFirst(" WHERE ", " JOIN pg_attribute a ON a.attrelid = t.oid AND "
            + "a.attnum > 0 AND NOT a.attisdropped WHERE ") + " AND t.relkind = 'm' AND a.attcompression <> '' ORDER BY 1";
}
