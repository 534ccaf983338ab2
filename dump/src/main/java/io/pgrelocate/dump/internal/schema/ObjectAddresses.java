package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * SQL and naming shared by the extractors that act on objects of any kind (comments, security labels, owners,
 * privileges): which objects are copied, and how each kind is named in COMMENT ON / ALTER ... OWNER TO / GRANT.
 * Objects are named by {@code pg_identify_object}, which qualifies and quotes names itself.
 */
final class ObjectAddresses {
    private ObjectAddresses() {
    }

    /**
     * SQL condition: the object {@code (classid, objid)}, with {@code pg_identify_object} row {@code i}, is one the
     * extractor copies: a user object (or the public schema, or this database) outside system and excluded schemas,
     * not part of an extension, and of a kind that is copied. Binds one parameter. Not event triggers, whose comment
     * and owner come with them at the very end.
     */
    static String copied(String classid, String objid, String i) {
        return "((" + objid + " >= 16384 OR (" + classid + " = 'pg_namespace'::regclass AND " + objid + " = 2200) OR "
                + classid + " = 'pg_database'::regclass) AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = "
                + classid + " AND e.objid = " + objid + " AND e.deptype = 'e') AND " + classid + " NOT IN "
                + "('pg_publication'::regclass, 'pg_publication_rel'::regclass, 'pg_subscription'::regclass, "
                + "'pg_transform'::regclass, 'pg_event_trigger'::regclass) AND NOT (" + classid
                + " = 'pg_class'::regclass AND (SELECT c.relkind FROM pg_class c WHERE c.oid = " + objid + ") = 't') AND "
                // an excluded schema itself (pgrelocate's own on the source), not only what is in it
                + "(" + classid + " <> 'pg_namespace'::regclass OR (SELECT x.nspname FROM pg_namespace x WHERE x.oid = "
                + objid + ") <> ALL (?::text[])) AND "
                + Catalog.copiedSchemaName(i + ".schema") + ")";
    }

    /**
     * SQL expression: how COMMENT ON, SECURITY LABEL and ALTER ... OWNER TO name the object after the kind, as a
     * text array {@link #target(ResultSet, int)} renders: {@code {identity}} (pg_identify_object's deparsed
     * name, as {@code pg_get_*} functions deparse), or a domain constraint's raw {@code {name, domain type}}.
     */
    static String target(String classid, String objid, String i) {
        return "CASE WHEN " + i + ".type = 'domain constraint' THEN (SELECT ARRAY[c.conname::text, "
                + "format_type(c.contypid, NULL)] FROM pg_constraint c WHERE c.oid = " + objid + ") ELSE ARRAY[" + i
                + ".identity] END";
    }

    /** The object name of a {@link #target(String, String, String)} column: {@code "name" ON DOMAIN type} or identity. */
    static String target(ResultSet rs, int column) throws SQLException {
        String[] parts = (String[]) rs.getArray(column).getArray();
        return parts.length == 2 ? Sql.ident(parts[0]) + " ON DOMAIN " + parts[1] : parts[0];
    }

    /** The keyword of a {@code pg_identify_object} type in COMMENT ON, SECURITY LABEL ON and ALTER ... OWNER TO. */
    static String keyword(String type) {
        return switch (type) {
            case "table column", "view column", "materialized view column", "foreign table column",
                 "composite type column" -> "COLUMN";
            case "table constraint", "domain constraint" -> "CONSTRAINT";
            case "foreign-data wrapper" -> "FOREIGN DATA WRAPPER";
            case "statistics object" -> "STATISTICS";
            default -> type.toUpperCase(Locale.ROOT);
        };
    }

    /** The keyword of a {@code pg_identify_object} type in GRANT and REVOKE. */
    static String grantKeyword(String type, boolean domain) {
        return switch (type) {
            case "table", "view", "materialized view", "foreign table" -> "TABLE";
            case "aggregate" -> "FUNCTION";
            case "foreign-data wrapper" -> "FOREIGN DATA WRAPPER";
            case "server" -> "FOREIGN SERVER";
            case "type" -> domain ? "DOMAIN" : "TYPE";
            default -> type.toUpperCase(Locale.ROOT);
        };
    }

    /**
     * SQL: every copied object that has an owner, as rows {@code (classid, objid, owner, acl)}; {@code acl} is
     * null for kinds without privileges. Indexes, TOAST tables, row types and array types follow their owners.
     */
    /**
     * SQL condition over {@code i} (pg_identify_object) and {@code o} ({@link #OWNED}): schema public still owned
     * as initdb left it (the bootstrap superuser up to 14, pg_database_owner from 15). It keeps the owner, and
     * the owner's privileges, that the target's initdb gave it, as a database created there would.
     */
    static final String INITDB_PUBLIC = "(i.type = 'schema' AND i.identity = 'public' AND o.owner = CASE WHEN "
            + "current_setting('server_version_num')::int >= 150000 THEN 'pg_database_owner'::regrole::oid ELSE 10 END)";

    static final String OWNED = "SELECT 'pg_namespace'::regclass::oid AS classid, oid AS objid, nspowner AS owner, "
            + "nspacl AS acl FROM pg_namespace"
            + " UNION ALL SELECT 'pg_class'::regclass, oid, relowner, relacl FROM pg_class WHERE relkind IN "
            + "('r', 'p', 'v', 'm', 'f', 'S')"
            + " UNION ALL SELECT 'pg_proc'::regclass, oid, proowner, proacl FROM pg_proc"
            + " UNION ALL SELECT 'pg_type'::regclass, t.oid, t.typowner, t.typacl FROM pg_type t WHERE t.typtype <> 'm' "
            + "AND NOT (t.typrelid <> 0 AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) <> 'c') "
            + "AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)"
            + " UNION ALL SELECT 'pg_collation'::regclass, oid, collowner, NULL FROM pg_collation"
            + " UNION ALL SELECT 'pg_conversion'::regclass, oid, conowner, NULL FROM pg_conversion"
            + " UNION ALL SELECT 'pg_operator'::regclass, oid, oprowner, NULL FROM pg_operator"
            + " UNION ALL SELECT 'pg_opclass'::regclass, oid, opcowner, NULL FROM pg_opclass"
            + " UNION ALL SELECT 'pg_opfamily'::regclass, oid, opfowner, NULL FROM pg_opfamily"
            + " UNION ALL SELECT 'pg_ts_dict'::regclass, oid, dictowner, NULL FROM pg_ts_dict"
            + " UNION ALL SELECT 'pg_ts_config'::regclass, oid, cfgowner, NULL FROM pg_ts_config"
            + " UNION ALL SELECT 'pg_event_trigger'::regclass, oid, evtowner, NULL FROM pg_event_trigger"
            + " UNION ALL SELECT 'pg_statistic_ext'::regclass, oid, stxowner, NULL FROM pg_statistic_ext"
            + " UNION ALL SELECT 'pg_foreign_data_wrapper'::regclass, oid, fdwowner, fdwacl FROM pg_foreign_data_wrapper"
            + " UNION ALL SELECT 'pg_foreign_server'::regclass, oid, srvowner, srvacl FROM pg_foreign_server"
            + " UNION ALL SELECT 'pg_largeobject'::regclass, oid, lomowner, lomacl FROM pg_largeobject_metadata"
            + " UNION ALL SELECT 'pg_database'::regclass, oid, datdba, datacl FROM pg_database "
            + "WHERE datname = current_database()";
}
