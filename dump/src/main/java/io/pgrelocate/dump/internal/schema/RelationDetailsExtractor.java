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
        return catalog.query(sql, rs -> new DdlStatement(rs.getString(1), rs.getString(2)));
    }
}
