package io.pgrelocate.dump;

import io.pgrelocate.testkit.SqlRunner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A database's schema as the catalogs describe it, object by object, named by pg_identify_object and
 * described with the server's pg_get_*def functions where they exist, so that two databases on different
 * servers (different oids) compare equal exactly when their schemas are the same.
 */
final class CatalogSnapshot {
    private static final String USER_SCHEMA = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'pgrelocate')";

    private CatalogSnapshot() {
    }

    /** Each aspect's rows, as text. {@code portable} leaves out what differs between majors by design. */
    static Map<String, List<String>> of(SqlRunner server, String database, boolean portable) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        queries(portable).forEach((aspect, sql) -> out.put(aspect, server.query(database, sql).stream()
                .map(row -> row.stream().map(String::valueOf).collect(Collectors.joining(" | "))).toList()));
        return out;
    }

    /** Asserts that every aspect of {@code target} equals {@code source}'s, naming the rows that differ. */
    static void assertSame(Map<String, List<String>> source, Map<String, List<String>> target) {
        for (String aspect : source.keySet()) {
            List<String> s = source.get(aspect);
            List<String> t = target.get(aspect);
            List<String> differences = new java.util.ArrayList<>();
            s.stream().filter(r -> !t.contains(r)).forEach(r -> differences.add("source only: " + r));
            t.stream().filter(r -> !s.contains(r)).forEach(r -> differences.add("target only: " + r));
            org.assertj.core.api.Assertions.assertThat(differences).as(aspect).isEmpty();
            org.assertj.core.api.Assertions.assertThat(t).as(aspect).containsExactlyElementsOf(s);
        }
    }

    private static Map<String, String> queries(boolean portable) {
        Map<String, String> q = new LinkedHashMap<>();
        // a transform's identity reads "for T on language L" on 14 and "for T language L" on 18
        q.put("objects", "SELECT i.type, " + (portable ? "replace(i.identity, ' on language ', ' language ')"
                : "i.identity") + " FROM (SELECT classid, objid FROM pg_depend WHERE objid >= 16384 "
                + "UNION SELECT refclassid, refobjid FROM pg_depend WHERE refobjid >= 16384) d, "
                + "LATERAL pg_identify_object(d.classid, d.objid, 0) i WHERE (i.schema IS NULL OR i.schema " + USER_SCHEMA
                + ")"
                // what an extension contains depends on the version the target installs
                + (portable ? " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classid AND e.objid = "
                + "d.objid AND e.deptype = 'e') AND NOT EXISTS (SELECT 1 FROM pg_type a JOIN pg_depend e ON e.objid = "
                + "a.typelem AND e.deptype = 'e' WHERE d.classid = 'pg_type'::regclass AND a.oid = d.objid) "
                + "AND i.identity !~ '(_fkey_?[0-9]+|_not_null) on '" : "")
                // internal triggers of foreign keys are named after oids
                + " AND NOT (i.type = 'trigger' AND i.identity LIKE '\"%\\_ConstraintTrigger\\_%')"
                + (portable ? " AND NOT (i.type = 'table constraint' AND i.identity LIKE '%not_null on %')" : "")
                + " ORDER BY 1, 2");
        q.put("relations", "SELECT c.oid::regclass::text, c.relkind, c.relpersistence, c.reloptions, c.relreplident, "
                + "c.relrowsecurity, c.relforcerowsecurity, (SELECT amname FROM pg_am WHERE oid = c.relam), "
                + "pg_get_userbyid(c.relowner), c.relacl, c.relispartition, pg_get_expr(c.relpartbound, c.oid), "
                + "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, obj_description(c.oid, 'pg_class'), "
                + "(SELECT t.reloptions FROM pg_class t WHERE t.oid = c.reltoastrelid), "
                + "ARRAY(SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), "
                + "NULLIF(c.reloftype, 0)::regtype::text "
                + "FROM pg_class c WHERE c.relnamespace::regnamespace::text " + USER_SCHEMA + " ORDER BY 1");
        // a column's place among the live ones, not its attnum: the target has no dropped columns, as after pg_dump
        q.put("columns", "SELECT a.attrelid::regclass::text, (SELECT count(*) FROM pg_attribute p WHERE p.attrelid = "
                + "a.attrelid AND p.attnum > 0 AND p.attnum <= a.attnum AND NOT p.attisdropped), a.attname, "
                + "format_type(a.atttypid, a.atttypmod), "
                + "a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attstorage, "
                + "a.attcompression, COALESCE(a.attstattarget::int, -1), a.attoptions, a.attfdwoptions, a.attacl, "
                + "a.attcollation::regcollation, col_description(a.attrelid, a.attnum), a.attislocal, a.attinhcount "
                + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = "
                + "a.attrelid AND d.adnum = a.attnum WHERE a.attnum > 0 AND NOT a.attisdropped AND "
                + "c.relnamespace::regnamespace::text " + USER_SCHEMA + " ORDER BY 1, 2");
        // deparsed view text is formatted differently by each major (table prefixes on columns before 16)
        q.put("views", "SELECT c.oid::regclass::text, c.relkind, " + (portable ? "NULL" : "pg_get_viewdef(c.oid)")
                + ", c.relispopulated, c.reloptions "
                + "FROM pg_class c WHERE c.relkind IN ('v', 'm') AND c.relnamespace::regnamespace::text " + USER_SCHEMA
                + " ORDER BY 1");
        q.put("constraints", "SELECT k.conname, k.conrelid::regclass::text, k.contypid::regtype::text, "
                + "pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred, k.convalidated, k.conislocal, "
                + "k.coninhcount, obj_description(k.oid, 'pg_constraint'), k.conparentid <> 0 FROM pg_constraint k WHERE "
                + "k.connamespace::regnamespace::text " + USER_SCHEMA
                + (portable ? " AND k.contype <> 'n' AND k.conparentid = 0" : "")
                + " ORDER BY 2, 3, 1");
        q.put("indexes", "SELECT pg_get_indexdef(x.indexrelid), x.indisclustered, x.indisreplident, x.indisvalid, "
                + "ARRAY(SELECT COALESCE(a.attstattarget::int, -1) FROM pg_attribute a WHERE a.attrelid = x.indexrelid "
                + "ORDER BY a.attnum), ARRAY(SELECT h.inhparent::regclass::text FROM pg_inherits h WHERE h.inhrelid = "
                + "x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE "
                + "c.relnamespace::regnamespace::text " + USER_SCHEMA + " ORDER BY 1");
        q.put("triggers and rules", "SELECT pg_get_triggerdef(t.oid), t.tgenabled::text, t.tgparentid <> 0, "
                + "obj_description(t.oid, 'pg_trigger') FROM pg_trigger t WHERE NOT t.tgisinternal AND "
                // before 15, triggers cloned onto partitions were marked internal
                + (portable ? "t.tgparentid = 0 AND " : "")
                + "t.tgrelid::regclass::text NOT LIKE 'pgrelocate.%' UNION ALL SELECT pg_get_ruledef(r.oid), "
                + "r.ev_enabled::text, NULL, obj_description(r.oid, 'pg_rewrite') FROM pg_rewrite r JOIN pg_class c ON "
                + "c.oid = r.ev_class WHERE r.rulename <> '_RETURN' AND c.relnamespace::regnamespace::text "
                + USER_SCHEMA + " ORDER BY 1");
        q.put("policies", "SELECT p.polname, p.polrelid::regclass::text, p.polcmd, p.polpermissive, "
                + "p.polroles::regrole[]::text, pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, "
                + "p.polrelid) FROM pg_policy p ORDER BY 2, 1");
        q.put("routines", "SELECT p.oid::regprocedure::text, p.prokind, CASE WHEN p.prokind IN ('f', 'p', 'w') THEN "
                + "pg_get_functiondef(p.oid) END, pg_get_userbyid(p.proowner), p.proacl, p.proparallel, "
                + "(SELECT row(a.aggkind, a.aggtransfn::regproc, a.aggfinalfn::regproc, a.aggcombinefn::regproc, "
                + "a.aggmtransfn::regproc, a.aggminvtransfn::regproc, a.aggsortop::regoperator, a.agginitval, "
                + "a.aggminitval, a.aggfinalextra, a.aggfinalmodify, a.aggserialfn::regproc, a.aggdeserialfn::regproc, "
                + "a.aggmfinalfn::regproc, a.aggmfinalextra, a.aggmfinalmodify, a.aggnumdirectargs, a.aggtransspace, "
                + "a.aggmtransspace, a.aggtranstype::regtype, a.aggmtranstype::regtype)::text FROM pg_aggregate a "
                + "WHERE a.aggfnoid = p.oid), p.proconfig "
                + "FROM pg_proc p WHERE p.pronamespace::regnamespace::text " + USER_SCHEMA + "" + (portable ? " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')" : "") + " ORDER BY 1");
        q.put("types", "SELECT t.oid::regtype::text, t.typtype, pg_get_userbyid(t.typowner), t.typacl, t.typnotnull, "
                + "pg_get_expr(t.typdefaultbin, 0), t.typbasetype::regtype::text, ARRAY(SELECT e.enumlabel FROM pg_enum e "
                + "WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), (SELECT row(r.rngsubtype::regtype, "
                + "r.rngsubdiff::regproc, r.rngcollation::regcollation)::text FROM pg_range r WHERE r.rngtypid = t.oid), "
                + "obj_description(t.oid, 'pg_type') FROM pg_type t WHERE t.typnamespace::regnamespace::text "
                + USER_SCHEMA + "" + (portable ? " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = t.oid AND e.deptype = 'e')" : "") + " AND NOT EXISTS (SELECT 1 FROM pg_depend e JOIN pg_type x ON "
                + "x.typarray = t.oid WHERE " + (portable ? "e.objid = x.oid AND e.deptype = 'e'" : "false") + ") ORDER BY 1");
        // a base type's every CREATE TYPE option, a range's subtype class, collation, canonical and multirange
        q.put("type details", "SELECT t.oid::regtype::text, t.typinput::regproc::text, t.typoutput::regproc::text, "
                + "t.typreceive::regproc::text, t.typsend::regproc::text, t.typmodin::regproc::text, "
                + "t.typmodout::regproc::text, t.typanalyze::regproc::text, to_jsonb(t) ->> 'typsubscript', t.typlen, "
                + "t.typbyval, t.typalign, t.typstorage, t.typcategory, t.typispreferred, t.typdefault, "
                + "t.typelem::regtype::text, t.typdelim, t.typcollation::regcollation::text, (SELECT row((SELECT "
                + "c.opcname FROM pg_opclass c WHERE c.oid = r.rngsubopc), r.rngcollation::regcollation, "
                + "r.rngcanonical::regproc, r.rngmultitypid::regtype)::text FROM pg_range r WHERE r.rngtypid = t.oid) "
                + "FROM pg_type t WHERE t.typtype IN ('b', 'r', 'm') AND t.typnamespace::regnamespace::text "
                + USER_SCHEMA + (portable ? " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = t.oid AND "
                + "e.deptype = 'e') AND NOT EXISTS (SELECT 1 FROM pg_type x JOIN pg_depend e ON e.objid = x.oid AND "
                + "e.deptype = 'e' WHERE x.typarray = t.oid)" : "") + " ORDER BY 1");
        q.put("operators", "SELECT o.oid::regoperator::text, o.oprcode::regproc::text, o.oprcom::regoperator::text, "
                + "o.oprnegate::regoperator::text, o.oprrest::regproc::text, o.oprjoin::regproc::text, o.oprcanhash, "
                + "o.oprcanmerge FROM pg_operator o WHERE o.oprnamespace::regnamespace::text " + USER_SCHEMA
                + "" + (portable ? " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = o.oid AND e.deptype = 'e')" : "") + " ORDER BY 1");
        q.put("operator classes", "SELECT f.opfname, (SELECT amname FROM pg_am WHERE oid = f.opfmethod), ARRAY(SELECT "
                + "row(o.amopstrategy, o.amopopr::regoperator, o.amoppurpose, (SELECT s.opfname FROM pg_opfamily s WHERE s.oid = o.amopsortfamily), (SELECT c.opcname FROM pg_depend d JOIN "
                + "pg_opclass c ON c.oid = d.refobjid WHERE d.classid = 'pg_amop'::regclass AND d.objid = o.oid AND "
                + "d.refclassid = 'pg_opclass'::regclass))::text FROM pg_amop o WHERE o.amopfamily = f.oid ORDER BY 1), "
                + "ARRAY(SELECT row(p.amprocnum, p.amproclefttype::regtype, p.amprocrighttype::regtype, "
                + "p.amproc::regprocedure, (SELECT c.opcname FROM pg_depend d JOIN pg_opclass c ON c.oid = d.refobjid WHERE "
                + "d.classid = 'pg_amproc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_opclass'::regclass))::text "
                + "FROM pg_amproc p WHERE p.amprocfamily = f.oid ORDER BY 1), "
                + "ARRAY(SELECT row(c.opcname, c.opcdefault, c.opcintype::regtype, c.opckeytype::regtype)::text FROM pg_opclass c "
                + "WHERE c.opcfamily = f.oid ORDER BY 1) FROM pg_opfamily f WHERE f.opfnamespace::regnamespace::text "
                + USER_SCHEMA + "" + (portable ? " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = f.oid AND e.deptype = 'e')" : "") + " ORDER BY 1, 2");
        q.put("casts and conversions", "SELECT format('%s -> %s', c.castsource::regtype, c.casttarget::regtype), "
                + "c.castfunc::regprocedure::text, c.castcontext::text, c.castmethod::text FROM pg_cast c WHERE c.oid >= 16384 "
                + "UNION ALL SELECT c.conname, c.conproc::text, pg_encoding_to_char(c.conforencoding)::text, "
                + "pg_encoding_to_char(c.contoencoding)::text || CASE WHEN c.condefault THEN ' default' ELSE '' END "
                + "FROM pg_conversion c WHERE c.oid >= 16384 ORDER BY 1");
        q.put("access methods and extensions", "SELECT amname::text, amtype::text, amhandler::text FROM pg_am WHERE oid >= 16384 "
                + "UNION ALL SELECT extname, extversion, extnamespace::regnamespace::text FROM pg_extension ORDER BY 1");
        q.put("collations", "SELECT c.oid::regcollation::text, c.collprovider, c.collisdeterministic, "
                // the ICU locale moved from collcollate to colliculocale (15) and colllocale (17)
                + "COALESCE(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale', c.collcollate), "
                + "CASE WHEN c.collprovider = 'c' THEN c.collctype END, to_jsonb(c) ->> 'collicurules', "
                + "pg_get_userbyid(c.collowner) FROM pg_collation c WHERE c.oid >= 16384 ORDER BY 1");
        q.put("text search", "SELECT c.cfgname::text, (SELECT prsname::text FROM pg_ts_parser WHERE oid = c.cfgparser), ARRAY(SELECT row(m.maptokentype, "
                + "m.mapseqno, m.mapdict::regdictionary)::text FROM pg_ts_config_map m WHERE m.mapcfg = c.oid ORDER BY "
                + "m.maptokentype, m.mapseqno) FROM pg_ts_config c WHERE c.oid >= 16384 UNION ALL SELECT d.dictname::text, "
                + "d.dictinitoption, ARRAY[(SELECT tmplname::text FROM pg_ts_template WHERE oid = d.dicttemplate)] FROM pg_ts_dict d WHERE d.oid >= 16384 UNION ALL "
                + "SELECT prsname::text, prsstart::text, ARRAY[prstoken::text, prsend::text, prsheadline::text, prslextype::text] "
                + "FROM pg_ts_parser WHERE oid >= 16384 UNION ALL SELECT tmplname::text, tmplinit::text, ARRAY[tmpllexize::text] "
                + "FROM pg_ts_template WHERE oid >= 16384 ORDER BY 1");
        q.put("foreign data", "SELECT w.fdwname::text, w.fdwhandler::regproc::text, w.fdwvalidator::regproc::text, "
                + "w.fdwoptions, w.fdwacl, pg_get_userbyid(w.fdwowner) FROM pg_foreign_data_wrapper w UNION ALL "
                + "SELECT s.srvname::text, s.srvtype, s.srvversion, s.srvoptions, s.srvacl, pg_get_userbyid(s.srvowner) "
                + "FROM pg_foreign_server s UNION ALL SELECT 'mapping ' || m.srvname, m.usename::text, NULL, m.umoptions, "
                + "NULL, NULL FROM pg_user_mappings m UNION ALL SELECT f.ftrelid::regclass::text, "
                + "(SELECT srvname::text FROM pg_foreign_server WHERE oid = f.ftserver), NULL, f.ftoptions, NULL, NULL FROM pg_foreign_table f ORDER BY 1, 2");
        q.put("statistics", "SELECT pg_get_statisticsobjdef(s.oid), COALESCE(s.stxstattarget::int, -1), "
                + "pg_get_userbyid(s.stxowner) FROM pg_statistic_ext s ORDER BY 1");
        q.put("event triggers", "SELECT e.evtname, e.evtevent, e.evtfoid::regproc::text, e.evtenabled, e.evttags, "
                + "pg_get_userbyid(e.evtowner), obj_description(e.oid, 'pg_event_trigger') FROM pg_event_trigger e "
                + "ORDER BY 1");
        // 15+ columns (row filters, column lists, schemas) and 18's pubgencols read by name, so 14 answers too
        q.put("publications", "SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, "
                + "p.pubviaroot, pg_get_userbyid(p.pubowner), obj_description(p.oid, 'pg_publication'), CASE WHEN "
                + "to_jsonb(p) ->> 'pubgencols' IN ('s', 'true') THEN 'stored' END, ARRAY(SELECT format('%s (%s) %s', "
                + "pr.prrelid::regclass, to_jsonb(pr) ->> 'prattrs', (SELECT to_jsonb(t) ->> 'rowfilter' FROM "
                + "pg_publication_tables t WHERE t.pubname = p.pubname AND format('%I.%I', t.schemaname, t.tablename)"
                + "::regclass = pr.prrelid)) FROM pg_publication_rel pr WHERE pr.prpubid = p.oid ORDER BY 1), "
                + "ARRAY(SELECT s.refobjid::regnamespace::text FROM pg_depend m JOIN pg_depend s ON s.classid = m.classid "
                + "AND s.objid = m.objid WHERE m.classid = to_regclass('pg_catalog.pg_publication_namespace') AND "
                + "m.refclassid = 'pg_publication'::regclass AND m.refobjid = p.oid AND s.refclassid = "
                + "'pg_namespace'::regclass ORDER BY 1), ARRAY(SELECT format('%I.%I', t.schemaname, t.tablename) FROM "
                + "pg_publication_tables t WHERE t.pubname = p.pubname AND t.schemaname " + USER_SCHEMA + " ORDER BY 1) "
                + "FROM pg_publication p WHERE p.pubname NOT LIKE 'pgrelocate%' ORDER BY 1");
        q.put("sequences", "SELECT s.schemaname, s.sequencename, s.data_type, s.start_value, s.min_value, s.max_value, "
                + "s.increment_by, s.cycle, s.cache_size, s.last_value, (SELECT format('%s.%s %s', d.refobjid::regclass, "
                + "a.attname, d.deptype) FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = "
                + "d.refobjsubid WHERE d.classid = 'pg_class'::regclass AND d.objid = format('%I.%I', s.schemaname, "
                + "s.sequencename)::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) "
                + "FROM pg_sequences s ORDER BY 1, 2");
        q.put("comments", "SELECT i.type, i.identity, d.description FROM pg_description d, LATERAL "
                + "pg_identify_object(d.classoid, d.objoid, d.objsubid) i WHERE d.objoid >= 16384 OR d.classoid = "
                + "'pg_namespace'::regclass ORDER BY 1, 2");
        // schema public as initdb left it is owned by the bootstrap superuser up to 14, by pg_database_owner
        // from 15; a migration leaves the target's own initdb owner in place
        q.put("privileges", "SELECT n.nspname::text, CASE WHEN x.initdb THEN '(initdb owner)' ELSE "
                + "pg_get_userbyid(n.nspowner)::text END, CASE WHEN x.initdb THEN replace(n.nspacl::text, "
                + "pg_get_userbyid(n.nspowner)::text, '(initdb owner)') ELSE n.nspacl::text END FROM pg_namespace n, "
                + "LATERAL (SELECT n.nspname = 'public' AND n.nspowner = CASE WHEN current_setting('server_version_num')"
                + "::int >= 150000 THEN 'pg_database_owner'::regrole::oid ELSE 10 END AS initdb) x WHERE "
                + "n.nspname " + USER_SCHEMA + " UNION ALL SELECT 'default ' || pg_get_userbyid(d.defaclrole), "
                + "d.defaclnamespace::regnamespace::text || d.defaclobjtype::text, d.defaclacl::text FROM pg_default_acl d "
                + "UNION ALL SELECT 'database', pg_get_userbyid(datdba)::text, datacl::text FROM pg_database WHERE datname = "
                + "current_database() ORDER BY 1, 2");
        q.put("settings", "SELECT s.setrole::regrole::text, s.setconfig FROM pg_db_role_setting s WHERE s.setdatabase = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1");
        q.put("large objects", "SELECT m.oid, pg_get_userbyid(m.lomowner), m.lomacl, md5(lo_get(m.oid)), "
                + "obj_description(m.oid, 'pg_largeobject') FROM pg_largeobject_metadata m ORDER BY 1");
        return q;
    }
}
