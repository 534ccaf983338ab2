package io.pgrelocate.dump.internal.schema;

import java.sql.SQLException;
import java.util.List;

/**
 * Table settings that need the indexes or must wait for the data: REPLICA IDENTITY, CLUSTER ON, statistics
 * targets of index columns, and ENABLE / FORCE ROW LEVEL SECURITY (after the copy, so that it cannot hide rows
 * from a copying role that does not bypass it).
 */
final class RelationDetailsExtractor {
    private RelationDetailsExtractor() {
    }

    private static final String TABLE = "format('%I.%I', n.nspname, t.relname)";
    private static final String FROM_TABLES = " FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace WHERE "
            + Catalog.userSchema("t.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "t.oid");

    static List<DdlStatement> details(Catalog catalog) throws SQLException {
        String sql = "SELECT 'replica identity of ' || n.nspname || '.' || t.relname, 'ALTER TABLE ONLY ' || " + TABLE
                + " || ' REPLICA IDENTITY ' || CASE t.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING' "
                + "ELSE (SELECT 'USING INDEX ' || quote_ident(i.relname) FROM pg_index x JOIN pg_class i ON i.oid = "
                + "x.indexrelid WHERE x.indrelid = t.oid AND x.indisreplident) END" + FROM_TABLES
                + " AND t.relkind IN ('r', 'p', 'm') AND t.relreplident IN ('f', 'n', 'i')"
                + " UNION ALL SELECT 'cluster index of ' || n.nspname || '.' || t.relname, 'ALTER TABLE ONLY ' || "
                + TABLE + " || ' CLUSTER ON ' || quote_ident(i.relname)" + FROM_TABLES.replaceFirst(" WHERE ",
                " JOIN pg_index x ON x.indrelid = t.oid AND x.indisclustered JOIN pg_class i ON i.oid = x.indexrelid WHERE ")
                + " UNION ALL SELECT 'statistics target of ' || n.nspname || '.' || i.relname, format('ALTER INDEX %I.%I "
                + "ALTER COLUMN %s SET STATISTICS %s', n.nspname, i.relname, a.attnum, a.attstattarget)"
                + FROM_TABLES.replaceFirst(" WHERE ", " JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = "
                + "x.indexrelid JOIN pg_attribute a ON a.attrelid = i.oid AND a.attnum > 0 WHERE ")
                + " AND COALESCE(a.attstattarget::int, -1) >= 0"
                + " UNION ALL SELECT 'row level security of ' || n.nspname || '.' || t.relname, 'ALTER TABLE ONLY ' || "
                + TABLE + " || CASE WHEN t.relrowsecurity THEN ' ENABLE ROW LEVEL SECURITY' ELSE '' END || CASE WHEN "
                + "t.relrowsecurity AND t.relforcerowsecurity THEN ',' ELSE '' END || CASE WHEN t.relforcerowsecurity "
                + "THEN ' FORCE ROW LEVEL SECURITY' ELSE '' END" + FROM_TABLES
                + " AND (t.relrowsecurity OR t.relforcerowsecurity) ORDER BY 1";
        List<DdlStatement> out = new java.util.ArrayList<>(catalog.query(sql, rs -> new DdlStatement(rs.getString(1),
                rs.getString(2))));
        out.addAll(catalog.query(COLUMN_DETAILS, rs -> new DdlStatement(rs.getString(1), rs.getString(2))));
        return out;
    }

    private static final String COLUMN = "n.nspname || '.' || t.relname || '.' || a.attname";
    /**
     * Column settings CREATE TABLE cannot carry: a partition's own default where it differs from its parent's
     * (PARTITION OF copies the parent's), a view column's default, and a materialized view column's compression.
     */
    private static final String COLUMN_DETAILS = "SELECT 'default of ' || " + COLUMN + ", format('ALTER TABLE ONLY "
            + "%I.%I ALTER COLUMN %I ', n.nspname, t.relname, a.attname) || COALESCE('SET DEFAULT ' || "
            + "pg_get_expr(d.adbin, d.adrelid), 'DROP DEFAULT')" + FROM_TABLES.replaceFirst(" WHERE ", " JOIN pg_attribute a "
            + "ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped JOIN pg_inherits i ON i.inhrelid = t.oid "
            + "JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname LEFT JOIN pg_attrdef d "
            + "ON d.adrelid = t.oid AND d.adnum = a.attnum LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND "
            + "pd.adnum = pa.attnum WHERE ") + " AND t.relispartition AND a.attgenerated = '' AND a.attidentity = '' "
            + "AND pg_get_expr(d.adbin, d.adrelid) IS DISTINCT FROM pg_get_expr(pd.adbin, pd.adrelid)"
            + " UNION ALL SELECT 'default of ' || " + COLUMN + ", format('ALTER VIEW %I.%I ALTER COLUMN %I SET DEFAULT %s', "
            + "n.nspname, t.relname, a.attname, pg_get_expr(d.adbin, d.adrelid))" + FROM_TABLES.replaceFirst(" WHERE ",
            " JOIN pg_attrdef d ON d.adrelid = t.oid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.adnum "
            + "WHERE ") + " AND t.relkind = 'v'"
            + " UNION ALL SELECT 'compression of ' || " + COLUMN + ", format('ALTER MATERIALIZED VIEW %I.%I ALTER COLUMN "
            + "%I SET COMPRESSION %s', n.nspname, t.relname, a.attname, CASE a.attcompression WHEN 'l' THEN 'lz4' "
            + "ELSE 'pglz' END)" + FROM_TABLES.replaceFirst(" WHERE ", " JOIN pg_attribute a ON a.attrelid = t.oid AND "
            + "a.attnum > 0 AND NOT a.attisdropped WHERE ") + " AND t.relkind = 'm' AND a.attcompression <> '' ORDER BY 1";
}
