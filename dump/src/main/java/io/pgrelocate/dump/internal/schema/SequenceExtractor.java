package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Stand-alone sequences (identity sequences come with their column) and OWNED BY, which must wait for
 * the owning table.
 */
final class SequenceExtractor {
    private SequenceExtractor() {
    }

    private static final String OWN_SEQUENCES = "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + Catalog.userSchema("c.relnamespace") + " AND "
            + Catalog.notExtensionMember("pg_class", "c.oid") + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
            + "d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')";

    static List<CatalogObject> sequences(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, "
                + "s.seqmin, s.seqmax, s.seqcache, s.seqcycle, c.relpersistence " + OWN_SEQUENCES + " ORDER BY 2, 3";
        return catalog.query(sql, rs -> {
            String ddl = "CREATE " + ("u".equals(rs.getString(11)) ? "UNLOGGED " : "") + "SEQUENCE "
                    + Sql.qualified(rs.getString(2), rs.getString(3)) + " AS " + rs.getString(4)
                    + options(rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getBoolean(10));
            return new CatalogObject(ObjectKind.SEQUENCE, "sequence " + rs.getString(2) + "." + rs.getString(3),
                    List.of(ddl), Set.of(new CatalogKey(TypeExtractor.PG_CLASS, rs.getLong(1))));
        });
    }

    /** {@code START WITH ... [NO] CYCLE}: shared with identity columns. */
    static String options(long start, long increment, long min, long max, long cache, boolean cycle) {
        return " START WITH " + start + " INCREMENT BY " + increment + " MINVALUE " + min + " MAXVALUE " + max
                + " CACHE " + cache + (cycle ? " CYCLE" : " NO CYCLE");
    }

    /** {@code ALTER SEQUENCE ... OWNED BY table.column}, for after the tables. */
    static List<DdlStatement> ownedBy(Catalog catalog) throws SQLException {
        String sql = "SELECT n.nspname, c.relname, tn.nspname, t.relname, a.attname FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_depend d ON d.classid = 'pg_class'::regclass "
                + "AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0 "
                + "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace "
                + "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid WHERE c.relkind = 'S' AND "
                + Catalog.userSchema("c.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "c.oid")
                + " ORDER BY 1, 2";
        return catalog.query(sql, rs -> new DdlStatement("ownership of sequence " + rs.getString(1) + "."
                + rs.getString(2), "ALTER SEQUENCE " + Sql.qualified(rs.getString(1), rs.getString(2)) + " OWNED BY "
                + Sql.qualified(rs.getString(3), rs.getString(4)) + "." + Sql.ident(rs.getString(5))));
    }
}
