package io.pgrelocate.dump.internal.verify;

import java.util.List;

/**
 * The catalog queries verify runs on each server, one per kind of object. Each returns the object's kind,
 * its identity (names only, never OIDs, so that it is the same on both servers) and then named attributes,
 * compared one by one. Definitions come from the server's own {@code pg_get_*def} functions.
 *
 * <p>{@code :excluded} stands for the schemas left out (a text array) and {@code :roles} for the roles
 * that exist on both servers: privileges are compared only for those.
 *
 * <p>These queries quote names on the server ({@code format('%I')}, {@code quote_ident}): the results are
 * descriptions compared between the two servers and shown in the report, never executed, so they are outside
 * the one quoting path (allowed by {@code OneQuotingPathTest}). Never concatenate one into SQL.
 */
final class CatalogQueries {
    private CatalogQueries() {
    }

    /** A user schema: not a system schema, not excluded. */
    static final String USER = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT "
            + "LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' AND n.nspname <> ALL (:excluded)";

    static String notExtension(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = "
                + oid + " AND e.deptype = 'e')";
    }

    private static final String USER_REL = USER + " AND " + notExtension("pg_class", "c.oid");

    /**
     * The privileges granted to others than the owner (the owner's own are implied), to roles both servers
     * have, as sorted {@code role=PRIVILEGE} entries. A NULL ACL stands for the defaults, so it is expanded.
     */
    static String acl(String acl, String owner, char type) {
        // a column's NULL ACL grants nothing beyond the table's (aclexplode(NULL) yields no rows)
        String expanded = type == 'c' ? acl : "coalesce(" + acl + ", acldefault('" + type + "', " + owner + "))";
        return "(SELECT coalesce(string_agg(x.e, ', ' ORDER BY x.e), '') FROM (SELECT CASE WHEN a.grantee = 0 "
                + "THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END || '=' || a.privilege_type || "
                + "CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS e FROM aclexplode(" + expanded
                + ") a WHERE a.grantee <> " + owner + " AND (a.grantee = 0 OR "
                + "pg_get_userbyid(a.grantee) = ANY (:roles))) x)";
    }

    /**
     * What {@code obj_description(oid, catalog)} returns, as a subquery: the function runs its own query per call,
     * about four times the cost of this index look-up, which at 10,000 tables (70,000 commented objects) was seconds.
     */
    static String comment(String oid, String catalog) {
        return description(oid, catalog, "0") + " AS comment";
    }

    /** {@code pg_description}'s text for one object (or column: {@code subid}); the alias is one no query uses. */
    static String description(String oid, String catalog, String subid) {
        return "(SELECT pgr_d.description FROM pg_description pgr_d WHERE pgr_d.objoid = " + oid
                + " AND pgr_d.classoid = 'pg_catalog." + catalog + "'::regclass AND pgr_d.objsubid = " + subid + ")";
    }

    private static final String REL_OWNER = "pg_get_userbyid(c.relowner) AS owner, " + acl("c.relacl", "c.relowner", 'r')
            + " AS acl, " + comment("c.oid", "pg_class");

    /**
     * Whether the public schema still has the privileges initdb gave it, which changed in 15 (no CREATE for
     * PUBLIC). Not compared itself: see {@link SchemaComparison}.
     */
    static final String INITDB_DEFAULT = "initdb_default";

    /**
     * initdb gives the public schema to the bootstrap superuser (OID 10) up to 14, to pg_database_owner (OID
     * 6171) from 15 on: either reads as "(initdb owner)".
     */
    private static final String SCHEMA_OWNER = "CASE WHEN n.nspname = 'public' AND (n.nspowner = 10 AND "
            + "current_setting('server_version_num')::int < 150000 OR n.nspowner = 6171 AND "
            + "current_setting('server_version_num')::int >= 150000) THEN '(initdb owner)' "
            + "ELSE pg_get_userbyid(n.nspowner) END";

    static final String SCHEMAS = "SELECT 'schema', quote_ident(n.nspname), " + SCHEMA_OWNER + " AS owner, "
            + acl("n.nspacl", "n.nspowner", 'n') + " AS acl, " + comment("n.oid", "pg_namespace") + ", CASE WHEN "
            + "n.nspname = 'public' THEN (array_to_string(n.nspacl, ',') = format('%1$s=UC/%1$s,=UC/%1$s', "
            + "pg_get_userbyid(n.nspowner)) AND n.nspowner = 10 OR array_to_string(n.nspacl, ',') = "
            + "'pg_database_owner=UC/pg_database_owner,=U/pg_database_owner')::text END AS " + INITDB_DEFAULT
            + " FROM pg_namespace n WHERE " + USER + " AND " + notExtension("pg_namespace", "n.oid");

    static final String EXTENSIONS = "SELECT 'extension', quote_ident(x.extname), x.extversion AS version, "
            + "quote_ident(n.nspname) AS schema FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace";

    private static final String TYPE_FROM = " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE "
            + USER + " AND " + notExtension("pg_type", "t.oid");

    private static final String TYPE_COMMON = "pg_get_userbyid(t.typowner) AS owner, " + acl("t.typacl", "t.typowner", 'T')
            + " AS acl, " + comment("t.oid", "pg_type");

    private static final String COLLATION = "(SELECT format('%I.%I', cn.nspname, co.collname) FROM pg_collation co "
            + "JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = ";

    static final String ENUMS = "SELECT 'type', format('%I.%I', n.nspname, t.typname), 'enum' AS kind, "
            + "(SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e "
            + "WHERE e.enumtypid = t.oid) AS labels, " + TYPE_COMMON + TYPE_FROM + " AND t.typtype = 'e'";

    /** Domain NOT NULL is compared through typnotnull: 17 also records it in pg_constraint (contype 'n'). */
    static final String DOMAINS = "SELECT 'domain', format('%I.%I', n.nspname, t.typname), "
            + "format_type(t.typbasetype, t.typtypmod) AS base_type, t.typnotnull::text AS not_null, "
            + "t.typdefault AS default, CASE WHEN t.typcollation <> 0 THEN " + COLLATION + "t.typcollation) END "
            + "AS collation, (SELECT string_agg(format('%I %s', k.conname, pg_get_constraintdef(k.oid)), ', ' "
            + "ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype <> 'n') AS constraints, "
            + TYPE_COMMON + TYPE_FROM + " AND t.typtype = 'd'";

    static final String COMPOSITES = "SELECT 'type', format('%I.%I', n.nspname, t.typname), 'composite' AS kind, "
            + "(SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)) || CASE WHEN "
            + "a.attcollation <> 0 THEN ' COLLATE ' || " + COLLATION + "a.attcollation) ELSE '' END, ', ' "
            + "ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 "
            + "AND NOT a.attisdropped) AS attributes, " + TYPE_COMMON + TYPE_FROM + " AND t.typtype = 'c' "
            + "AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c'";

    static final String RANGES = "SELECT 'type', format('%I.%I', n.nspname, t.typname), 'range' AS kind, "
            + "format_type(r.rngsubtype, NULL) AS subtype, CASE WHEN r.rngcollation <> 0 THEN " + COLLATION
            + "r.rngcollation) END AS collation, (SELECT format('%I.%I', on_.nspname, o.opcname) FROM pg_opclass o "
            + "JOIN pg_namespace on_ ON on_.oid = o.opcnamespace WHERE o.oid = r.rngsubopc) AS subtype_opclass, "
            + "nullif(r.rngcanonical::regproc::text, '-') AS canonical, nullif(r.rngsubdiff::regproc::text, '-') "
            + "AS subtype_diff, (SELECT format('%I.%I', mn.nspname, m.typname) FROM pg_type m JOIN pg_namespace mn ON "
            + "mn.oid = m.typnamespace WHERE m.oid = r.rngmultitypid) AS multirange, " + TYPE_COMMON + " FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid "
            + "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " + USER + " AND " + notExtension("pg_type", "t.oid");

    static final String TABLES = "SELECT 'table', format('%I.%I', n.nspname, c.relname), "
            + "CASE c.relkind WHEN 'p' THEN 'partitioned' ELSE 'plain' END AS kind, CASE c.relpersistence "
            + "WHEN 'u' THEN 'unlogged' ELSE 'permanent' END AS persistence, CASE WHEN c.relkind = 'p' THEN "
            + "pg_get_partkeydef(c.oid) END AS partition_key, CASE WHEN c.relispartition THEN "
            + "pg_get_expr(c.relpartbound, c.oid) END AS partition_bound, (SELECT string_agg(format('%I.%I', "
            + "pn.nspname, p.relname), ', ' ORDER BY i.inhseqno) FROM pg_inherits i JOIN pg_class p ON p.oid = "
            + "i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) AS parents, "
            + "array_to_string(c.reloptions, ', ') AS options, (SELECT array_to_string(tc.reloptions, ', ') FROM "
            + "pg_class tc WHERE tc.oid = c.reltoastrelid) AS toast_options, (SELECT format('%I.%I', tn.nspname, "
            + "ty.typname) FROM pg_type ty JOIN pg_namespace tn ON tn.oid = ty.typnamespace WHERE ty.oid = "
            + "c.reloftype) AS of_type, CASE c.relreplident WHEN 'd' THEN 'default' "
            + "WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full' ELSE 'index ' || coalesce((SELECT quote_ident(ic.relname) "
            + "FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND "
            + "x.indisreplident), '?') END AS replica_identity, c.relrowsecurity::text AS row_security, "
            + "c.relforcerowsecurity::text AS force_row_security, (SELECT quote_ident(am.amname) FROM pg_am am "
            + "WHERE am.oid = c.relam) AS access_method, " + REL_OWNER + " FROM pg_class c JOIN pg_namespace n "
            + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND " + USER_REL;

    static final String COLUMNS = "SELECT 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname), "
            + "format_type(a.atttypid, a.atttypmod) AS type, CASE WHEN a.attcollation <> 0 THEN " + COLLATION
            + "a.attcollation) END AS collation, a.attnotnull::text AS not_null, CASE WHEN a.attgenerated = '' "
            + "THEN pg_get_expr(d.adbin, d.adrelid) END AS default, CASE a.attidentity WHEN 'a' THEN 'always' "
            + "WHEN 'd' THEN 'by default' END AS identity, CASE WHEN a.attgenerated <> '' THEN "
            + "CASE a.attgenerated WHEN 'v' THEN 'virtual ' ELSE 'stored ' END || pg_get_expr(d.adbin, d.adrelid) "
            + "END AS generated, " + acl("a.attacl", "c.relowner", 'c') + " AS acl, "
            + description("c.oid", "pg_class", "a.attnum")
            + " AS comment, (SELECT count(*) FROM pg_attribute p WHERE p.attrelid = a.attrelid AND p.attnum > 0 AND "
            + "p.attnum <= a.attnum AND NOT p.attisdropped)::text AS position, a.attstorage::text AS storage, "
            + "COALESCE(a.attstattarget::int, -1)::text AS statistics, array_to_string(a.attoptions, ', ') AS "
            + "options FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n "
            + "ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            + "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND " + USER_REL;

    /**
     * Table constraints; NOT NULL is compared on the column (18 also records it as contype 'n'). Not the foreign
     * keys the server derives from a parent's (towards a partitioned table's partitions, or on partitions): they
     * follow the parent's, which is compared, and their generated names differ by major (fkey1 on 14, fkey_1 on 18).
     */
    static final String CONSTRAINTS = "SELECT 'constraint', format('%I on %I.%I', k.conname, n.nspname, c.relname), "
            + "pg_get_constraintdef(k.oid) AS definition, " + comment("k.oid", "pg_constraint") + " FROM pg_constraint k "
            + "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE k.contype <> 'n' AND NOT (k.contype = 'f' AND k.conparentid <> 0) AND " + USER_REL;

    /**
     * An index that backs a primary key, unique or exclusion constraint is described by that constraint (which
     * {@code pg_get_constraintdef} spells out with its columns, INCLUDE, NULLS NOT DISTINCT and, for exclusion, access
     * method, operator classes and predicate) and the index's storage options (which it leaves out), not by
     * {@code pg_get_indexdef}: the server lets such an index have no other operator class, collation or ordering than
     * its columns' defaults, so the two texts carry the same facts, and deparsing the index costs the server a scan
     * of the access method's operator classes per column, the most of the whole read at 10,000 tables. An index and a
     * constraint-backed one of the same name still differ.
     */
    static final String INDEXES = "SELECT 'index', format('%I.%I', n.nspname, i.relname), CASE WHEN k.oid IS NULL "
            + "THEN pg_get_indexdef(i.oid) ELSE format('constraint %I on %I.%I: %s', k.conname, n.nspname, c.relname, "
            + "pg_get_constraintdef(k.oid)) || coalesce(' WITH (' || array_to_string(i.reloptions, ', ') || ')', '') "
            + "END AS definition, x.indisvalid::text AS valid, "
            + comment("i.oid", "pg_class") + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            + "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace "
            + "LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid "
            + "AND k.contype IN ('p', 'u', 'x') WHERE " + USER_REL;

    static final String SEQUENCES = "SELECT 'sequence', format('%I.%I', n.nspname, c.relname), "
            + "format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS increment, "
            + "s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle::text AS cycle, "
            + "CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END AS persistence, "
            + "(SELECT format('%I.%I.%I', tn.nspname, t.relname, ta.attname) || CASE d.deptype WHEN 'i' THEN "
            + "' (identity)' ELSE '' END FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn "
            + "ON tn.oid = t.relnamespace JOIN pg_attribute ta ON ta.attrelid = t.oid AND ta.attnum = d.refobjsubid "
            + "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass "
            + "AND d.deptype IN ('a', 'i') LIMIT 1) AS owned_by, pg_get_userbyid(c.relowner) AS owner, "
            + acl("c.relacl", "c.relowner", 's') + " AS acl, " + comment("c.oid", "pg_class") + " FROM pg_sequence s "
            + "JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_REL;

    static final String VIEWS = "SELECT CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END, "
            + "format('%I.%I', n.nspname, c.relname), pg_get_viewdef(c.oid) AS definition, "
            + "array_to_string(c.reloptions, ', ') AS options, CASE WHEN c.relkind = 'm' THEN c.relispopulated::text "
            + "END AS populated, (SELECT quote_ident(am.amname) FROM pg_am am WHERE am.oid = c.relam) AS access_method, "
            + "(SELECT array_to_string(tc.reloptions, ', ') FROM pg_class tc WHERE tc.oid = c.reltoastrelid) AS "
            + "toast_options, " + REL_OWNER + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('v', 'm') AND " + USER_REL;

    /** pg_get_functiondef refuses aggregates: theirs is read from pg_aggregate. */
    static final String FUNCTIONS = "SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' "
            + "ELSE 'function' END, format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), "
            + "CASE WHEN p.prokind = 'a' THEN (SELECT format('SFUNC = %s, STYPE = %s, FINALFUNC = %s, COMBINEFUNC = %s, "
            + "INITCOND = %L, kind = %s, FINALFUNC_EXTRA = %s, FINALFUNC_MODIFY = %s, SERIALFUNC = %s, DESERIALFUNC = %s, "
            + "SSPACE = %s, MSFUNC = %s, MINVFUNC = %s, MSTYPE = %s, MSSPACE = %s, MFINALFUNC = %s, MFINALFUNC_EXTRA = %s, "
            + "MFINALFUNC_MODIFY = %s, MINITCOND = %L, SORTOP = %s', g.aggtransfn::regproc, "
            + "format_type(g.aggtranstype, NULL), g.aggfinalfn::regproc, g.aggcombinefn::regproc, g.agginitval, "
            + "g.aggkind, g.aggfinalextra, g.aggfinalmodify, g.aggserialfn::regproc, g.aggdeserialfn::regproc, "
            + "g.aggtransspace, g.aggmtransfn::regproc, g.aggminvtransfn::regproc, format_type(NULLIF(g.aggmtranstype, "
            + "0), NULL), g.aggmtransspace, g.aggmfinalfn::regproc, g.aggmfinalextra, g.aggmfinalmodify, "
            + "g.aggminitval, NULLIF(g.aggsortop, 0)::regoperator) FROM pg_aggregate g WHERE g.aggfnoid = p.oid) "
            + "ELSE pg_get_functiondef(p.oid) END AS definition, pg_get_userbyid(p.proowner) AS owner, "
            + acl("p.proacl", "p.proowner", 'f') + " AS acl, " + comment("p.oid", "pg_proc") + " FROM pg_proc p "
            + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + USER + " AND " + notExtension("pg_proc", "p.oid");

    static final String TRIGGERS = "SELECT 'trigger', format('%I on %I.%I', g.tgname, n.nspname, c.relname), "
            + "pg_get_triggerdef(g.oid) AS definition, g.tgenabled::text AS enabled, " + comment("g.oid", "pg_trigger")
            + " FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            // a partition's clone of its parent's trigger comes with the parent's; 14 marks clones internal, 15 on not
            + "WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND " + USER_REL;

    static final String RULES = "SELECT 'rule', format('%I on %I.%I', r.rulename, n.nspname, c.relname), "
            + "pg_get_ruledef(r.oid) AS definition, r.ev_enabled::text AS enabled, " + comment("r.oid", "pg_rewrite")
            + " FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE r.rulename <> '_RETURN' AND " + USER_REL;

    static final String POLICIES = "SELECT 'policy', format('%I on %I.%I', p.polname, n.nspname, c.relname), "
            + "p.polcmd::text AS command, p.polpermissive::text AS permissive, (SELECT string_agg(x.r, ', ' ORDER BY "
            + "x.r) FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(o)) END AS r "
            + "FROM unnest(p.polroles) o) x) AS roles, pg_get_expr(p.polqual, p.polrelid) AS using, "
            + "pg_get_expr(p.polwithcheck, p.polrelid) AS with_check, " + comment("p.oid", "pg_policy")
            + " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE " + USER_REL;

    static final List<String> ALL = java.util.stream.Stream.concat(java.util.stream.Stream.of(SCHEMAS, EXTENSIONS,
            ENUMS, DOMAINS, COMPOSITES, RANGES, TABLES, COLUMNS, CONSTRAINTS, INDEXES, SEQUENCES, VIEWS, FUNCTIONS,
            TRIGGERS, RULES, POLICIES), OtherObjectQueries.ALL.stream()).toList();

    /**
     * The tables and materialized views whose rows are compared, with their columns (sorted by name, so that
     * column order does not matter), size in blocks (to checksum the biggest first) and whether they are heap
     * tables (whose block ranges can be read by TID).
     */
    /**
     * An extension's configuration relation ({@code pg_extension_config_dump}): its rows (those its filter selects)
     * and its value are the user's, copied as pg_dump copies them, so they are compared too.
     */
    private static final String CONFIG = "EXISTS (SELECT 1 FROM pg_extension x WHERE c.oid = ANY (x.extconfig))";

    /**
     * Column 8: a configuration table's filter ({@code extcondition}, this server's own), NULL for other tables; the
     * rows it selects are the ones compared, as the extension's own rows are CREATE EXTENSION's on each side.
     */
    static final String DATA_TABLES = "SELECT n.nspname, c.relname, c.relkind = 'm' AND NOT c.relispopulated, "
            + "pg_relation_size(c.oid) / current_setting('block_size')::bigint, ARRAY(SELECT a.attname::text "
            + "FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            + "ORDER BY a.attname), format('%I.%I', n.nspname, c.relname), (SELECT am.amname = 'heap' FROM pg_am am "
            + "WHERE am.oid = c.relam), (SELECT cfg.condition FROM pg_extension x, unnest(x.extconfig, "
            + "x.extcondition) AS cfg(rel, condition) WHERE cfg.rel = c.oid LIMIT 1) "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'm') AND " + USER + " AND (" + notExtension("pg_class", "c.oid") + " OR "
            + CONFIG + ")";

    static final String SEQUENCE_NAMES = "SELECT n.nspname, c.relname, format('%I.%I', n.nspname, c.relname) "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + USER
            + " AND (" + notExtension("pg_class", "c.oid") + " OR " + CONFIG + ")";

    static final String ROLES = "SELECT rolname FROM pg_roles";
}
