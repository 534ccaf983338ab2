package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.dump.internal.schema.InitPrivilegeExtractor;

import java.util.List;

/**
 * The catalog queries of {@link CatalogQueries}' kind for the remaining object kinds: base types, collations, operators,
 * operator classes and families, text search objects, foreign-data wrappers, servers, user mappings and foreign
 * tables, event triggers, publications, extended statistics, default privileges, database and role-in-database
 * settings, the database's privileges and comment, security labels, and privileges changed on built-in objects and
 * extension members (their difference from {@code pg_init_privs}). Same conventions: kind, identity of names, then
 * named attributes; as there, names quoted on the server build descriptions that are compared, never executed (see
 * {@link CatalogQueries}).
 */
final class OtherObjectQueries {
    private OtherObjectQueries() {
    }

    private static final String USER = CatalogQueries.USER;

    private static String owner(String column) {
        return "pg_get_userbyid(" + column + ") AS owner";
    }

    /** {@code string_agg} of {@code expr} over {@code from}, sorted, so member order never matters. */
    private static String sorted(String expr, String from) {
        return "(SELECT string_agg(x, ', ' ORDER BY x) FROM (SELECT " + expr + " AS x " + from + ") s)";
    }

    /** SQL: {@code ' (loose)'} for a family member added by ALTER OPERATOR FAMILY rather than by its class. */
    private static String loose(String catalog, String oid) {
        return "CASE WHEN EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" + catalog + "'::regclass AND d.objid = "
                + oid + " AND d.refclassid = 'pg_opclass'::regclass) THEN '' ELSE ' (loose)' END";
    }

    private static String proc(String column, String name) {
        return "NULLIF(t." + column + "::regproc::text, '-') AS " + name;
    }

    /** Base types (CREATE TYPE with INPUT and OUTPUT), every option; their automatic array types are left out. */
    static final String BASE_TYPES = "SELECT 'type', format('%I.%I', n.nspname, t.typname), 'base' AS kind, "
            + proc("typinput", "input") + ", " + proc("typoutput", "output") + ", " + proc("typreceive", "receive") + ", "
            + proc("typsend", "send") + ", " + proc("typmodin", "typmod_in") + ", " + proc("typmodout", "typmod_out")
            + ", " + proc("typanalyze", "analyze") + ", " + proc("typsubscript", "subscript") + ", t.typlen::text AS "
            + "internal_length, t.typbyval::text AS passed_by_value, t.typalign::text AS alignment, t.typstorage::text "
            + "AS storage, t.typcategory::text AS category, t.typispreferred::text AS preferred, t.typdefault AS "
            + "default, CASE WHEN t.typelem <> 0 THEN format_type(t.typelem, NULL) END AS element, t.typdelim::text "
            + "AS delimiter, (t.typcollation <> 0)::text AS collatable, " + owner("t.typowner") + ", "
            + CatalogQueries.acl("t.typacl", "t.typowner", 'T') + " AS acl, " + CatalogQueries.comment("t.oid", "pg_type")
            + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'b' AND NOT EXISTS "
            + "(SELECT 1 FROM pg_type e WHERE e.typarray = t.oid) AND " + USER + " AND "
            + CatalogQueries.notExtension("pg_type", "t.oid");

    static final String COLLATIONS = "SELECT 'collation', format('%I.%I', n.nspname, c.collname), c.collprovider::text "
            + "AS provider, CASE WHEN c.collprovider = 'c' THEN c.collcollate END AS lc_collate, CASE WHEN "
            + "c.collprovider = 'c' THEN c.collctype END AS lc_ctype, CASE WHEN c.collprovider <> 'c' THEN coalesce("
            + "to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale', c.collcollate) END AS locale, "
            + "c.collisdeterministic::text AS deterministic, " + owner("c.collowner") + ", "
            + CatalogQueries.comment("c.oid", "pg_collation") + " FROM pg_collation c JOIN pg_namespace n ON n.oid = "
            + "c.collnamespace WHERE " + USER + " AND " + CatalogQueries.notExtension("pg_collation", "c.oid");

    static final String OPERATORS = "SELECT 'operator', format('%I.%s(%s, %s)', n.nspname, o.oprname, CASE WHEN "
            + "o.oprleft = 0 THEN 'NONE' ELSE format_type(o.oprleft, NULL) END, format_type(o.oprright, NULL)), "
            + "o.oprcode::regprocedure::text AS function, NULLIF(o.oprcom, 0::oid)::regoperator::text AS commutator, "
            + "NULLIF(o.oprnegate, 0::oid)::regoperator::text AS negator, NULLIF(o.oprrest::oid, 0::oid)::regproc::text "
            + "AS restrict, NULLIF(o.oprjoin::oid, 0::oid)::regproc::text AS join, o.oprcanhash::text AS hashes, "
            + "o.oprcanmerge::text AS merges, " + owner("o.oprowner") + ", " + CatalogQueries.comment("o.oid", "pg_operator")
            + " FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE " + USER + " AND "
            + CatalogQueries.notExtension("pg_operator", "o.oid");

    static final String OPERATOR_CLASSES = "SELECT 'operator class', format('%I.%I using %I', n.nspname, c.opcname, "
            + "am.amname), format_type(c.opcintype, NULL) AS input_type, c.opcdefault::text AS is_default, "
            + "format('%I.%I', fn.nspname, f.opfname) AS family, CASE WHEN c.opckeytype <> 0 THEN format_type(c.opckeytype, "
            + "NULL) END AS storage, " + owner("c.opcowner") + ", " + CatalogQueries.comment("c.oid", "pg_opclass")
            + " FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am am ON am.oid = c.opcmethod "
            + "JOIN pg_opfamily f ON f.oid = c.opcfamily JOIN pg_namespace fn ON fn.oid = f.opfnamespace WHERE " + USER
            + " AND " + CatalogQueries.notExtension("pg_opclass", "c.oid");

    static final String OPERATOR_FAMILIES = "SELECT 'operator family', format('%I.%I using %I', n.nspname, f.opfname, "
            + "am.amname), " + sorted("format('OPERATOR %s %s%s%s', o.amopstrategy, o.amopopr::regoperator, CASE WHEN "
            + "o.amoppurpose = 'o' THEN ' FOR ORDER BY ' || (SELECT format('%I.%I', sn.nspname, s.opfname) FROM "
            + "pg_opfamily s JOIN pg_namespace sn ON sn.oid = s.opfnamespace WHERE s.oid = o.amopsortfamily) ELSE '' "
            + "END, " + loose("pg_amop", "o.oid") + ")", "FROM pg_amop o WHERE o.amopfamily = f.oid") + " AS operators, "
            + sorted("format('FUNCTION %s (%s, %s) %s%s', p.amprocnum, format_type(p.amproclefttype, NULL), "
            + "format_type(p.amprocrighttype, NULL), p.amproc::regprocedure, " + loose("pg_amproc", "p.oid") + ")",
            "FROM pg_amproc p WHERE p.amprocfamily = f.oid") + " AS functions, "
            + owner("f.opfowner") + ", " + CatalogQueries.comment("f.oid", "pg_opfamily") + " FROM pg_opfamily f "
            + "JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod WHERE " + USER
            + " AND " + CatalogQueries.notExtension("pg_opfamily", "f.oid");

    static final String TS_CONFIGS = "SELECT 'text search configuration', format('%I.%I', n.nspname, c.cfgname), "
            + "(SELECT format('%I.%I', pn.nspname, p.prsname) FROM pg_ts_parser p JOIN pg_namespace pn ON pn.oid = "
            + "p.prsnamespace WHERE p.oid = c.cfgparser) AS parser, " + sorted("format('%s %s: %s', (SELECT t.alias "
            + "FROM ts_token_type(c.cfgparser) t WHERE t.tokid = m.maptokentype), m.mapseqno, m.mapdict::regdictionary)",
            "FROM pg_ts_config_map m WHERE m.mapcfg = c.oid") + " AS mappings, " + owner("c.cfgowner") + ", "
            + CatalogQueries.comment("c.oid", "pg_ts_config") + " FROM pg_ts_config c JOIN pg_namespace n ON n.oid = "
            + "c.cfgnamespace WHERE " + USER + " AND " + CatalogQueries.notExtension("pg_ts_config", "c.oid");

    static final String TS_DICTIONARIES = "SELECT 'text search dictionary', format('%I.%I', n.nspname, d.dictname), "
            + "(SELECT format('%I.%I', tn.nspname, t.tmplname) FROM pg_ts_template t JOIN pg_namespace tn ON tn.oid = "
            + "t.tmplnamespace WHERE t.oid = d.dicttemplate) AS template, d.dictinitoption AS options, "
            + owner("d.dictowner") + ", " + CatalogQueries.comment("d.oid", "pg_ts_dict") + " FROM pg_ts_dict d JOIN "
            + "pg_namespace n ON n.oid = d.dictnamespace WHERE " + USER + " AND "
            + CatalogQueries.notExtension("pg_ts_dict", "d.oid");

    static final String TS_PARSERS = "SELECT 'text search parser', format('%I.%I', n.nspname, p.prsname), "
            + "concat_ws(', ', p.prsstart, p.prstoken, p.prsend, NULLIF(p.prsheadline::oid, 0::oid)::regproc, p.prslextype) "
            + "AS functions, " + CatalogQueries.comment("p.oid", "pg_ts_parser") + " FROM pg_ts_parser p JOIN "
            + "pg_namespace n ON n.oid = p.prsnamespace WHERE " + USER + " AND "
            + CatalogQueries.notExtension("pg_ts_parser", "p.oid")
            + " UNION ALL SELECT 'text search template', format('%I.%I', n.nspname, t.tmplname), concat_ws(', ', "
            + "NULLIF(t.tmplinit::oid, 0::oid)::regproc, t.tmpllexize), " + CatalogQueries.comment("t.oid",
            "pg_ts_template") + " FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace WHERE " + USER
            + " AND " + CatalogQueries.notExtension("pg_ts_template", "t.oid");

    static final String FOREIGN_DATA = "SELECT 'foreign-data wrapper', quote_ident(w.fdwname), NULLIF(w.fdwhandler::oid, "
            + "0::oid)::regproc::text AS handler, NULLIF(w.fdwvalidator::oid, 0::oid)::regproc::text AS validator, "
            + "array_to_string(w.fdwoptions, ', ') AS options, " + owner("w.fdwowner") + ", "
            + CatalogQueries.acl("w.fdwacl", "w.fdwowner", 'F') + " AS acl, "
            + CatalogQueries.comment("w.oid", "pg_foreign_data_wrapper") + " FROM pg_foreign_data_wrapper w WHERE "
            + CatalogQueries.notExtension("pg_foreign_data_wrapper", "w.oid")
            + " UNION ALL SELECT 'server', quote_ident(s.srvname), (SELECT quote_ident(w.fdwname) FROM "
            + "pg_foreign_data_wrapper w WHERE w.oid = s.srvfdw), concat_ws(' ', 'type ' || s.srvtype, 'version ' || "
            + "s.srvversion), array_to_string(s.srvoptions, ', '), " + owner("s.srvowner") + ", "
            + CatalogQueries.acl("s.srvacl", "s.srvowner", 'S') + ", " + CatalogQueries.comment("s.oid",
            "pg_foreign_server") + " FROM pg_foreign_server s WHERE " + CatalogQueries.notExtension("pg_foreign_server",
            "s.oid");

    /** A mapping's options may hold a password: only their digest is compared, so none is ever printed. */
    static final String USER_MAPPINGS = "SELECT 'user mapping', format('%s on %I', CASE WHEN u.umuser = 0 THEN 'PUBLIC' "
            + "ELSE quote_ident(u.usename) END, u.srvname), md5(array_to_string(u.umoptions, ',')) AS options_digest "
            + "FROM pg_user_mappings u WHERE u.umuser = 0 OR u.usename = ANY (:roles)";

    static final String FOREIGN_TABLES = "SELECT 'foreign table', format('%I.%I', n.nspname, c.relname), "
            + "(SELECT quote_ident(s.srvname) FROM pg_foreign_server s WHERE s.oid = f.ftserver) AS server, "
            + "array_to_string(f.ftoptions, ', ') AS options, (SELECT string_agg(format('%I %s', a.attname, "
            + "format_type(a.atttypid, a.atttypmod)) || coalesce(' OPTIONS (' || array_to_string(a.attfdwoptions, ', ') "
            + "|| ')', ''), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND "
            + "NOT a.attisdropped) AS columns, " + owner("c.relowner") + ", " + CatalogQueries.acl("c.relacl",
            "c.relowner", 'r') + " AS acl, " + CatalogQueries.comment("c.oid", "pg_class") + " FROM pg_foreign_table f "
            + "JOIN pg_class c ON c.oid = f.ftrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER
            + " AND " + CatalogQueries.notExtension("pg_class", "c.oid");

    /** pgrelocate's own event triggers and publications (continuous mode, on the source) are left out. */
    static final String EVENT_TRIGGERS = "SELECT 'event trigger', quote_ident(et.evtname), et.evtevent AS event, "
            + "et.evtfoid::regprocedure::text AS function, et.evtenabled::text AS enabled, array_to_string(et.evttags, ', ') "
            + "AS tags, " + owner("et.evtowner") + ", " + CatalogQueries.comment("et.oid", "pg_event_trigger")
            + " FROM pg_event_trigger et WHERE et.evtname NOT LIKE 'pgrelocate%' AND "
            + CatalogQueries.notExtension("pg_event_trigger", "et.oid");

    /**
     * A publication's members as {@code pg_publication_tables} expands them (FOR ALL TABLES and schemas included),
     * each with its column list and row filter (15+), its schemas (15+) and 18's generated-column option; the 15+
     * columns are read by name through {@code to_jsonb} so that one query serves every major.
     */
    static final String PUBLICATIONS = "SELECT 'publication', quote_ident(p.pubname), p.puballtables::text AS all_tables, "
            + "concat_ws(',', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END, CASE WHEN "
            + "p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END) AS publish, "
            + "p.pubviaroot::text AS via_root, CASE WHEN to_jsonb(p) ->> 'pubgencols' IN ('s', 'true') THEN 'stored' END "
            + "AS generated_columns, " + sorted("format('%I.%I', t.schemaname, t.tablename) || coalesce(' (' || (SELECT "
            + "string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_publication_rel pr JOIN pg_attribute a "
            + "ON a.attrelid = pr.prrelid WHERE pr.prpubid = p.oid AND pr.prrelid = format('%I.%I', t.schemaname, "
            + "t.tablename)::regclass AND a.attnum::text = ANY (string_to_array(to_jsonb(pr) ->> 'prattrs', ' '))) || ')', "
            + "'') || coalesce(' WHERE ' || (to_jsonb(t) ->> 'rowfilter'), '')", "FROM pg_publication_tables t WHERE "
            + "t.pubname = p.pubname AND t.schemaname <> ALL (:excluded)") + " AS tables, "
            + sorted("quote_ident(n.nspname)", "FROM pg_depend m JOIN pg_depend s ON s.classid = m.classid AND s.objid = "
            + "m.objid JOIN pg_namespace n ON n.oid = s.refobjid WHERE m.classid = to_regclass('pg_catalog."
            + "pg_publication_namespace') AND m.refclassid = 'pg_publication'::regclass AND m.refobjid = p.oid AND "
            + "s.refclassid = 'pg_namespace'::regclass") + " AS schemas, " + owner("p.pubowner") + ", "
            + CatalogQueries.comment("p.oid", "pg_publication") + " FROM pg_publication p WHERE p.pubname NOT LIKE "
            + "'pgrelocate\\_%'";

    static final String STATISTICS = "SELECT 'statistics', format('%I.%I', n.nspname, s.stxname), "
            + "pg_get_statisticsobjdef(s.oid) AS definition, coalesce(s.stxstattarget::int, -1)::text AS target, "
            + owner("s.stxowner") + ", " + CatalogQueries.comment("s.oid", "pg_statistic_ext") + " FROM "
            + "pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE " + USER;

    static final String DEFAULT_PRIVILEGES = "SELECT 'default privileges', format('for %I in %s on %s', "
            + "pg_get_userbyid(d.defaclrole), coalesce(quote_ident(n.nspname), '(all schemas)'), CASE d.defaclobjtype "
            + "WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' "
            + "WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::text END), " + CatalogQueries.acl("d.defaclacl",
            "d.defaclrole", 'r') + " AS acl FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = "
            + "d.defaclnamespace WHERE pg_get_userbyid(d.defaclrole) = ANY (:roles) AND (n.nspname IS NULL OR "
            + "n.nspname <> ALL (:excluded))";

    /**
     * Without default_transaction_read_only: it is how the cutover fences the source (SourceFence), so at the
     * cutover's verify the source has it and the target must not.
     */
    static final String SETTINGS = "SELECT * FROM (SELECT 'settings', CASE WHEN s.setrole = 0 THEN 'of the database' "
            + "ELSE format('of role %I in the database', pg_get_userbyid(s.setrole)) END, array_to_string(ARRAY("
            + "SELECT c FROM unnest(s.setconfig) c WHERE c NOT LIKE 'default\\_transaction\\_read\\_only=%'), ', ') "
            + "AS settings FROM pg_db_role_setting s WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = "
            + "current_database()) AND (s.setrole = 0 OR pg_get_userbyid(s.setrole) = ANY (:roles))) x WHERE settings <> ''";

    /**
     * The kind of the database's own privileges and comment (its owner, encoding and locale are compared by
     * {@link VerifyRun} from the database list, as kind "database").
     */
    static final String DATABASE_KIND = "database comment and privileges";

    /** The comment of a database fenced by a cutover: pgrelocate's marker (replication's {@code FenceMarker}). */
    private static final String FENCED = "d.comment LIKE 'pgrelocate-fence %'";

    /**
     * SQL: field {@code name} of the fence marker in {@code comment}, URL-decoded ({@code +} a space, {@code %XX} a
     * UTF-8 byte: the marker's values never hold a space, {@code &} or {@code =} as such), or null when absent.
     */
    private static String markerField(String comment, String name) {
        return "(SELECT convert_from(string_agg(CASE WHEN m[1] IS NOT NULL THEN decode(substr(m[1], 2), 'hex') ELSE "
                + "convert_to(m[2], 'UTF8') END, ''::bytea ORDER BY o), 'UTF8') FROM regexp_matches(replace(substring("
                + comment + " FROM '[ &]" + name + "=([^&]*)'), '+', ' '), '(%[0-9A-Fa-f]{2})|([^%]+)', 'g') WITH "
                + "ORDINALITY AS t(m, o))";
    }

    /**
     * The database's own privileges and comment. A source fenced by a cutover (the fence stays after a completed
     * one, until {@code pgrelocate cleanup}) holds the fence's marker as its comment and, under a strong fence, has
     * CONNECT revoked: the comment and ACL compared are then the ones the marker recorded from before the fence.
     */
    static final String DATABASE = "SELECT '" + DATABASE_KIND + "', quote_ident(d.datname), " + CatalogQueries.acl(
            "CASE WHEN " + FENCED + " THEN " + markerField("d.comment", "acl") + "::aclitem[] ELSE d.datacl END",
            "d.datdba", 'd') + " AS acl, CASE WHEN " + FENCED + " THEN " + markerField("d.comment", "comment")
            + " ELSE d.comment END AS comment FROM (SELECT d.*, shobj_description(d.oid, 'pg_database') AS comment "
            + "FROM pg_database d WHERE d.datname = current_database()) d";

    /**
     * Security labels on the database and on the objects in it (not on roles and tablespaces, which are not
     * migrated per database), by provider. No label provider is installed where the tests run: only a label's
     * absence is exercised there.
     */
    static final String SECURITY_LABELS = "SELECT 'security label', format('%s %s for %s', l.objtype, l.objname, "
            + "l.provider), l.label FROM pg_seclabels l LEFT JOIN pg_namespace n ON n.oid = l.objnamespace WHERE "
            + "(l.objnamespace IS NULL OR (" + USER + ")) AND l.objtype NOT IN ('role', 'tablespace') AND (l.objtype "
            + "<> 'database' OR l.objoid = (SELECT oid FROM pg_database WHERE datname = current_database())) AND "
            + "NOT (l.objtype = 'schema' AND l.objname = ANY (:excluded))";

    /** Privileges changed on built-in objects and extension members, as their difference from their initial ones. */
    static final String INITIAL_PRIVILEGES = "SELECT 'initial privileges', d.target || d.cols, string_agg(d.op || ' ' "
            + "|| d.privilege || ' ' || coalesce(quote_ident(d.grantee), 'PUBLIC') || CASE WHEN d.grantable THEN "
            + "' WITH GRANT OPTION' ELSE '' END, ', ' ORDER BY d.op, d.privilege, d.grantee) AS changes FROM ("
            + InitPrivilegeExtractor.SQL + ") d(target, cols, owner, ext, op, grantor, grantee, privilege, grantable) "
            + "WHERE d.grantee IS NULL OR d.grantee = ANY (:roles) GROUP BY d.target, d.cols";

    static final List<String> ALL = List.of(COLLATIONS, OPERATORS, OPERATOR_CLASSES, OPERATOR_FAMILIES, TS_CONFIGS,
            TS_DICTIONARIES, TS_PARSERS, FOREIGN_DATA, USER_MAPPINGS, FOREIGN_TABLES, EVENT_TRIGGERS, PUBLICATIONS,
            STATISTICS, DEFAULT_PRIVILEGES, SETTINGS, INITIAL_PRIVILEGES, DATABASE, SECURITY_LABELS, BASE_TYPES);
}
