package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.List;

/** {@code COMMENT ON} for schemas, relations, columns, types, functions and constraints. */
final class CommentExtractor {
    private CommentExtractor() {
    }

    static List<DdlStatement> comments(Catalog catalog) throws SQLException {
        String relKind = "CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN "
                + "'SEQUENCE' WHEN 'i' THEN 'INDEX' WHEN 'I' THEN 'INDEX' WHEN 'f' THEN 'FOREIGN TABLE' "
                + "WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END";
        String sql = "SELECT 'COMMENT ON SCHEMA ' || quote_ident(n.nspname), d.description FROM pg_description d "
                + "JOIN pg_namespace n ON n.oid = d.objoid WHERE d.classoid = 'pg_namespace'::regclass AND "
                + Catalog.userSchema("n.oid")
                + " UNION ALL SELECT 'COMMENT ON ' || " + relKind + " || ' ' || format('%I.%I', n.nspname, c.relname), "
                + "d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE d.classoid = 'pg_class'::regclass AND d.objsubid = 0 AND "
                + Catalog.userSchema("c.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "c.oid")
                + " UNION ALL SELECT 'COMMENT ON COLUMN ' || format('%I.%I.%I', n.nspname, c.relname, a.attname), "
                + "d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid "
                + "WHERE d.classoid = 'pg_class'::regclass AND d.objsubid > 0 AND "
                + Catalog.userSchema("c.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "c.oid")
                + " UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'COMMENT ON DOMAIN ' ELSE 'COMMENT ON TYPE ' END "
                + "|| format('%I.%I', n.nspname, t.typname), d.description FROM pg_description d JOIN pg_type t "
                + "ON t.oid = d.objoid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE d.classoid = "
                + "'pg_type'::regclass AND " + Catalog.userSchema("t.typnamespace") + " AND "
                + Catalog.notExtensionMember("pg_type", "t.oid")
                + " UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'COMMENT ON PROCEDURE ' WHEN 'a' THEN "
                + "'COMMENT ON AGGREGATE ' ELSE 'COMMENT ON FUNCTION ' END || p.oid::regprocedure::text, d.description "
                + "FROM pg_description d JOIN pg_proc p ON p.oid = d.objoid WHERE d.classoid = 'pg_proc'::regclass AND "
                + Catalog.userSchema("p.pronamespace") + " AND " + Catalog.notExtensionMember("pg_proc", "p.oid")
                + " UNION ALL SELECT 'COMMENT ON CONSTRAINT ' || quote_ident(k.conname) || ' ON ' || CASE WHEN "
                + "k.contypid <> 0 THEN 'DOMAIN ' || k.contypid::regtype::text ELSE format('%I.%I', n.nspname, "
                + "c.relname) END, d.description FROM pg_description d JOIN pg_constraint k ON k.oid = d.objoid "
                + "LEFT JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE d.classoid = 'pg_constraint'::regclass AND " + Catalog.userSchema("k.connamespace")
                + " ORDER BY 1";
        return catalog.query(sql, rs -> new DdlStatement("comment: " + rs.getString(1).substring(11),
                rs.getString(1) + " IS " + Sql.literal(rs.getString(2))));
    }
}
