package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Privileges changed on objects the migration does not create: built-in ones ({@code pg_catalog}, built-in
 * languages) and extension members, which the target's initdb or
 * {@code CREATE EXTENSION} makes with their initial privileges. As pg_dump does, only the difference between an
 * object's ACL and its initial one ({@code pg_init_privs}, or the kind's default where it has none) is replayed:
 * each item removed is revoked, each item added is granted, by its grantor. Items naming a role the target
 * lacks are warned about; members of extensions the target cannot install are left out with the extension.
 */
public final class InitPrivilegeExtractor {
    private InitPrivilegeExtractor() {
    }

    private static String extensionOf(String catalog, String oid) {
        return "(SELECT x.extname FROM pg_depend e JOIN pg_extension x ON x.oid = e.refobjid WHERE e.classid = '"
                + catalog + "'::regclass AND e.objid = " + oid + " AND e.objsubid = 0 AND e.deptype = 'e' LIMIT 1)";
    }

    /**
     * Whether an object can differ from its initial privileges at all: an object whose ACL is null and which has no
     * {@code pg_init_privs} row reads its kind's default on both sides, so it has no delta. Filtering on this first
     * spares naming (regprocedure text, identity arguments) the thousands of built-in functions that never changed.
     */
    private static String mayHaveChanged(String catalog, String oid, String acl) {
        return "(" + acl + " IS NOT NULL OR EXISTS (SELECT 1 FROM pg_init_privs ip WHERE ip.classoid = '" + catalog
                + "'::regclass AND ip.objoid = " + oid + " AND ip.objsubid = 0))";
    }

    private static final String RELATION_KEYWORD = "CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END";

    /**
     * {@code pg_catalog} only: {@code information_schema}'s grants are made by initdb after {@code pg_init_privs} is
     * recorded, so every one of its views would read as changed (and pg_dump leaves that schema out entirely).
     */
    private static final String BUILT_IN_SCHEMA = " = 'pg_catalog'::regnamespace";

    /**
     * Objects not created by the migration: class, oid, column, description (GRANT keyword and name) and columns
     * (for messages and verify's comparison only, never SQL), ACL, default ACL, owner, extension, then the raw
     * parts the statements are built from: keyword, schema (null for a language or schema), name, a routine's
     * identity arguments, column.
     */
    private static final String OBJECTS = "SELECT * FROM (SELECT 'pg_proc'::regclass AS cls, p.oid, 0 AS sub, "
            + "'ROUTINE ' || p.oid::regprocedure::text AS target, '' AS cols, p.proacl AS acl, acldefault('f', "
            + "p.proowner) AS dflt, p.proowner AS owner, " + extensionOf("pg_proc", "p.oid") + " AS ext, 'ROUTINE' AS kw, "
            + "pn.nspname::text AS nsp, p.proname::text AS obj, pg_get_function_identity_arguments(p.oid) AS args, "
            + "NULL::text AS col FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace "
            + "WHERE " + mayHaveChanged("pg_proc", "p.oid", "p.proacl") + " AND (p.pronamespace" + BUILT_IN_SCHEMA
            + " OR " + extensionOf("pg_proc", "p.oid") + " IS NOT NULL) "
            + "UNION ALL SELECT 'pg_class'::regclass, c.oid, 0, " + RELATION_KEYWORD + " || ' ' || cn.nspname || '.' || "
            + "c.relname, '', c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::\"char\", "
            + "c.relowner), c.relowner, " + extensionOf("pg_class", "c.oid") + ", " + RELATION_KEYWORD + ", cn.nspname, "
            + "c.relname, NULL, NULL FROM pg_class c JOIN pg_namespace cn ON cn.oid = c.relnamespace WHERE c.relkind IN "
            + "('r', 'v', 'm', 'S', 'f', 'p') AND " + mayHaveChanged("pg_class", "c.oid", "c.relacl") + " AND (c.relnamespace"
            + BUILT_IN_SCHEMA + " OR " + extensionOf("pg_class", "c.oid") + " IS NOT NULL) "
            + "UNION ALL SELECT 'pg_class'::regclass, c.oid, a.attnum, 'TABLE ' || cn.nspname || '.' || c.relname, "
            + "' (' || a.attname || ')', a.attacl, NULL::aclitem[], c.relowner, " + extensionOf("pg_class", "c.oid")
            + ", 'TABLE', cn.nspname, c.relname, NULL, a.attname "
            + "FROM pg_class c JOIN pg_namespace cn ON cn.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
            + "AND a.attnum > 0 AND NOT a.attisdropped "
            + "WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND (c.relnamespace" + BUILT_IN_SCHEMA + " OR "
            + extensionOf("pg_class", "c.oid") + " IS NOT NULL) AND (a.attacl IS NOT NULL OR EXISTS (SELECT 1 FROM "
            + "pg_init_privs ip WHERE ip.classoid = 'pg_class'::regclass AND ip.objoid = c.oid AND ip.objsubid = a.attnum)) "
            + "UNION ALL SELECT 'pg_language'::regclass, l.oid, 0, 'LANGUAGE ' || l.lanname, '', l.lanacl, "
            + "acldefault('l', l.lanowner), l.lanowner, " + extensionOf("pg_language", "l.oid") + ", 'LANGUAGE', NULL, "
            + "l.lanname, NULL, NULL FROM pg_language l "
            + "WHERE l.oid < 16384 OR " + extensionOf("pg_language", "l.oid") + " IS NOT NULL "
            + "UNION ALL SELECT 'pg_namespace'::regclass, n.oid, 0, 'SCHEMA ' || n.nspname, '', n.nspacl, "
            + "acldefault('n', n.nspowner), n.nspowner, NULL, 'SCHEMA', NULL, n.nspname, NULL, NULL FROM pg_namespace n "
            + "WHERE n.oid" + BUILT_IN_SCHEMA + ") u";

    private static final String ITEM = "pg_get_userbyid(d.grantor), CASE WHEN d.grantee = 0 THEN NULL ELSE "
            + "pg_get_userbyid(d.grantee)::text END, d.privilege_type, d.is_grantable";

    /** An empty ACL array has no dimension, which aclexplode refuses: read as NULL (no items). */
    private static final String BASELINE = "NULLIF(COALESCE(ip.initprivs, o.dflt), '{}')";
    private static final String CURRENT = "NULLIF(COALESCE(o.acl, o.dflt), '{}')";

    /**
     * One changed item per row, revokes before grants, in a stable order: target (keyword and name), columns,
     * owner, extension, op (REVOKE or GRANT), grantor, grantee (null for PUBLIC), privilege, grantable, then the
     * raw keyword, schema, name, routine arguments and column the statement is built from. Verify compares the
     * same deltas (by the first nine columns).
     */
    public static final String SQL = "SELECT o.target, o.cols, pg_get_userbyid(o.owner), o.ext, d.op, " + ITEM
            + ", o.kw, o.nsp, o.obj, o.args, o.col"
            + " FROM (" + OBJECTS + ") o LEFT JOIN pg_init_privs ip ON ip.classoid = o.cls AND ip.objoid = o.oid AND "
            + "ip.objsubid = o.sub, LATERAL (SELECT 'REVOKE' AS op, * FROM (SELECT * FROM aclexplode(" + BASELINE + ") "
            + "EXCEPT SELECT * FROM aclexplode(" + CURRENT + ")) r UNION ALL SELECT 'GRANT', * FROM (SELECT * FROM "
            + "aclexplode(" + CURRENT + ") EXCEPT SELECT * FROM aclexplode(" + BASELINE + ")) g) d ORDER BY o.target, o.cols, d.op DESC, 6, 7, 8";

    /** One statement per object whose privileges differ from its initial ones. */
    static List<DdlStatement> privileges(Catalog catalog) throws SQLException {
        Map<String, List<String>> byObject = new LinkedHashMap<>();
        catalog.query(SQL, rs -> {
            String object = display(rs.getString(1)) + rs.getString(2);
            String ext = rs.getString(4);
            if (ext != null && !catalog.options().targetExtensions().containsKey(ext)) {
                return null;
            }
            String owner = rs.getString(3);
            String grantor = rs.getString(6);
            String grantee = rs.getString(7);
            if (!catalog.targetHasRole(grantor) || !catalog.targetHasRole(grantee)) {
                catalog.warn(object + ": privilege " + rs.getString(8) + " granted by " + grantor + " to "
                        + (grantee == null ? "PUBLIC" : grantee) + " is not changed: the role does not exist on the target");
                return null;
            }
            String column = rs.getString(14) == null ? "" : " (" + Sql.ident(rs.getString(14)) + ")";
            byObject.computeIfAbsent(object, k -> new ArrayList<>()).addAll(statement(rs.getString(5), rs.getString(8)
                    + column, on(rs), grantor, grantee, rs.getBoolean(9), owner));
            return null;
        });
        List<DdlStatement> out = new ArrayList<>();
        byObject.forEach((object, sql) -> out.add(new DdlStatement("initial privileges of " + object,
                String.join(";\n", sql))));
        return out;
    }

    /** The object of GRANT / REVOKE ({@code TABLE "s"."t"}, {@code ROUTINE "s"."f"(args)}...), quoted here. */
    private static String on(java.sql.ResultSet rs) throws SQLException {
        String schema = rs.getString(11);
        String name = schema == null ? Sql.ident(rs.getString(12)) : Sql.qualified(schema, rs.getString(12));
        return rs.getString(10) + " " + name + (rs.getString(13) == null ? "" : "(" + rs.getString(13) + ")");
    }

    /** {@code ROUTINE pg_sleep(double precision)} as {@code function pg_sleep(double precision)}. */
    private static String display(String target) {
        int space = target.indexOf(' ');
        String keyword = target.substring(0, space).equals("ROUTINE") ? "function" : target.substring(0, space)
                .toLowerCase(java.util.Locale.ROOT);
        return keyword + target.substring(space);
    }

    /** REVOKE or GRANT of one item; as its grantor where that is not the owner (a superuser acts as the owner). */
    private static List<String> statement(String op, String privilege, String on, String grantor, String grantee,
                                          boolean grantable, String owner) {
        String who = grantee == null ? "PUBLIC" : Sql.ident(grantee);
        String sql = op.equals("REVOKE") ? "REVOKE " + privilege + " ON " + on + " FROM " + who
                : "GRANT " + privilege + " ON " + on + " TO " + who + (grantable ? " WITH GRANT OPTION" : "");
        if (grantor.equals(owner)) {
            return List.of(sql);
        }
        return List.of("SET ROLE " + Sql.ident(grantor), sql, "RESET ROLE");
    }
}
