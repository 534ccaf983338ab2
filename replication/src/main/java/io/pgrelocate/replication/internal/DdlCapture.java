package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema-change capture pgrelocate installs in a source database (superuser only): an event trigger on
 * {@code ddl_command_end} records each DDL statement (its text, search_path and role) into a table in the
 * state schema that is part of the publication, so the record reaches the stream inside the very transaction
 * that ran the statement; and it adds every table created since to the publication in that same transaction,
 * so the rows written to it there and later are streamed too. One trigger suffices: DROP commands fire
 * {@code ddl_command_end} as well, and rewrites are not decoded (the replayed statement rewrites the target).
 */
public final class DdlCapture {
    /** Tags never recorded: replication objects belong to each side, and ours come and go with the migration. */
    private static final String SKIPPED_TAGS = "'CREATE PUBLICATION', 'ALTER PUBLICATION', 'DROP PUBLICATION', "
            + "'CREATE SUBSCRIPTION', 'ALTER SUBSCRIPTION', 'DROP SUBSCRIPTION'";

    private final String schema;
    private final String table;
    private final String publication;
    private final boolean replicaIdentityFull;

    /**
     * @param replicaIdentityFull whether a new table without a key may get REPLICA IDENTITY FULL, so that it can
     *                            be published without making its UPDATE and DELETE fail on the source
     */
    DdlCapture(String stateSchema, String migrationId, String publication, boolean replicaIdentityFull) {
        this.schema = stateSchema;
        this.table = name(migrationId);
        this.publication = publication;
        this.replicaIdentityFull = replicaIdentityFull;
    }

    /** The capture table's name; the event trigger and functions share it. */
    static String name(String migrationId) {
        return Names.PREFIX + "ddl_" + migrationId;
    }

    String schema() {
        return schema;
    }

    String table() {
        return table;
    }

    QualifiedName qualifiedTable() {
        return new QualifiedName(schema, table);
    }

    /** Whether the connected role may create event triggers (only a superuser may). */
    static boolean possible(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Whether this migration's event trigger is installed and enabled (a resumed run keeps using it). */
    boolean installed(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_event_trigger WHERE evtname = ? "
                + "AND evtenabled <> 'D'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Creates (or replaces) the table, the functions and the event trigger; autocommit connection. */
    void install(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(schema));
            // the trigger runs as whoever runs the DDL, and calls the recorder from here
            st.execute("GRANT USAGE ON SCHEMA " + Sql.ident(schema) + " TO PUBLIC");
            st.execute("CREATE TABLE IF NOT EXISTS " + qualifiedTable() + " (id bigserial PRIMARY KEY, "
                    + "tag text NOT NULL, query text NOT NULL, search_path text NOT NULL, role_name text NOT NULL, "
                    + "objects text[] NOT NULL, problem text, recorded_at timestamptz NOT NULL DEFAULT now())");
            st.execute(recorder());
            st.execute("REVOKE ALL ON FUNCTION " + recorderName() + "(text, text, text, text[]) FROM PUBLIC");
            st.execute("GRANT EXECUTE ON FUNCTION " + recorderName() + "(text, text, text, text[]) TO PUBLIC");
            st.execute(trigger());
            st.execute("DROP EVENT TRIGGER IF EXISTS " + Sql.ident(table));
            st.execute("CREATE EVENT TRIGGER " + Sql.ident(table) + " ON ddl_command_end EXECUTE FUNCTION "
                    + triggerName() + "()");
            // fires in replica mode too: a restore tool's DDL must not slip past
            st.execute("ALTER EVENT TRIGGER " + Sql.ident(table) + " ENABLE ALWAYS");
        }
    }

    /** Drops what {@link #install} created, and the schema when nothing else is left in it. */
    void remove(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET default_transaction_read_only = off");
            st.execute("DROP EVENT TRIGGER IF EXISTS " + Sql.ident(table));
            st.execute("DROP FUNCTION IF EXISTS " + triggerName() + "()");
            st.execute("DROP FUNCTION IF EXISTS " + recorderName() + "(text, text, text, text[])");
            st.execute("DROP TABLE IF EXISTS " + qualifiedTable());
            dropSchemaIfEmpty(st, schema);
        }
    }

    /**
     * Drops every capture any pgrelocate migration left in the connected database (for {@code cleanup}, which
     * knows neither the migration nor the state schema); returns what was dropped.
     */
    public static List<String> removeAll(Connection c) throws SQLException {
        List<String> dropped = new ArrayList<>();
        List<String[]> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relname LIKE ?")) {
            ps.setString(1, Names.PREFIX.replace("_", "\\_") + "ddl\\_%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] f : found) {
            new DdlCapture(f[0], f[1].substring(name("").length()), "", false).remove(c);
            dropped.add("schema-change capture " + f[1] + " (event trigger, functions and table in schema " + f[0]
                    + ")");
        }
        return dropped;
    }

    private static void dropSchemaIfEmpty(Statement st, String schema) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_depend d JOIN pg_namespace n ON n.oid = d.refobjid "
                + "WHERE d.refclassid = 'pg_namespace'::regclass AND n.nspname = " + Sql.literal(schema))) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return;
            }
        }
        st.execute("DROP SCHEMA IF EXISTS " + Sql.ident(schema));
    }

    private String triggerName() {
        return Sql.qualified(schema, table);
    }

    private String recorderName() {
        return Sql.qualified(schema, table + "_record");
    }

    /** The event trigger's function: runs as the DDL's role, so it sees that role and search_path. */
    private String trigger() {
        return "CREATE OR REPLACE FUNCTION " + triggerName() + "() RETURNS event_trigger LANGUAGE plpgsql AS $fn$\n"
                + "DECLARE v_objects text[];\n"
                + "BEGIN\n"
                + "  IF pg_catalog.current_setting('pgrelocate.ddl_busy', true) = 'on' OR tg_tag IN (" + SKIPPED_TAGS
                + ") THEN RETURN; END IF;\n"
                + "  SELECT coalesce(pg_catalog.array_agg(object_identity), '{}') INTO v_objects "
                + "FROM pg_catalog.pg_event_trigger_ddl_commands() WHERE NOT in_extension AND object_identity IS NOT NULL;\n"
                + "  PERFORM " + recorderName() + "(tg_tag, current_user::text, "
                + "pg_catalog.current_setting('search_path'), v_objects);\n"
                + "END $fn$";
    }

    /**
     * The recorder, owned by the migrating superuser: one row per client statement (a string of several DDL
     * statements fires once per command, and is replayed whole once), then the publication brought up to
     * date with every table created since. A table without key or replica identity cannot be published
     * without breaking its UPDATE and DELETE on the source: unless REPLICA IDENTITY FULL is allowed, it is
     * recorded as a problem, which stops the database when it reaches the target.
     * <p>
     * The one place names are quoted on the server ({@code format('%I')}, {@code regclass}), allowed by
     * {@code OneQuotingPathTest}: this plpgsql runs inside the source's DDL transaction, where no Java is
     * there to quote, and its {@code EXECUTE} must build statements from the catalog rows it reads itself.
     */
    private String recorder() {
        String tbl = qualifiedTable().sql();
        return "CREATE OR REPLACE FUNCTION " + recorderName() + "(p_tag text, p_role text, p_search_path text, "
                + "p_objects text[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, "
                + "pg_temp AS $fn$\n"
                + "DECLARE\n"
                + "  v_key text := pg_backend_pid() || ':' || txid_current() || ':' || statement_timestamp() || ':' "
                + "|| md5(current_query());\n"
                + "  r record;\n"
                + "BEGIN\n"
                + "  IF NOT pg_has_role(session_user, p_role, 'MEMBER') THEN p_role := session_user; END IF;\n"
                + "  IF current_setting('pgrelocate.ddl_key', true) IS DISTINCT FROM v_key THEN\n"
                + "    PERFORM set_config('pgrelocate.ddl_key', v_key, true);\n"
                + "    INSERT INTO " + tbl + " (tag, query, search_path, role_name, objects) VALUES (p_tag, "
                + "current_query(), p_search_path, p_role, p_objects);\n"
                + "  END IF;\n"
                + "  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = " + Sql.literal(publication)
                + ") THEN RETURN; END IF;\n"
                + "  PERFORM set_config('pgrelocate.ddl_busy', 'on', true);\n"
                + "  FOR r IN SELECT c.oid::regclass AS rel, format('%I.%I', n.nspname, c.relname) AS name, "
                + "c.relreplident IN ('f', 'i') OR (c.relreplident = 'd' AND EXISTS (SELECT 1 FROM pg_index i "
                + "WHERE i.indrelid = c.oid AND i.indisprimary)) AS keyed FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                + "AND c.relpersistence = 'p' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                + "AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> " + Sql.literal(schema)
                + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
                + "AND d.objid = c.oid AND d.deptype = 'e') AND NOT EXISTS (SELECT 1 FROM pg_publication_rel pr "
                + "JOIN pg_publication p ON p.oid = pr.prpubid WHERE p.pubname = " + Sql.literal(publication)
                + " AND pr.prrelid = c.oid) LOOP\n"
                + "    IF NOT r.keyed AND NOT " + replicaIdentityFull + " THEN\n"
                + "      INSERT INTO " + tbl + " (tag, query, search_path, role_name, objects, problem) VALUES (p_tag, "
                + "current_query(), p_search_path, p_role, ARRAY[r.name], 'table ' || r.name || ' was created "
                + "without a primary key or replica identity, so its changes cannot be published without making "
                + "its UPDATE and DELETE fail on the source');\n"
                + "      CONTINUE;\n"
                + "    END IF;\n"
                + "    IF NOT r.keyed THEN\n"
                + "      EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', r.rel);\n"
                + "      INSERT INTO " + tbl + " (tag, query, search_path, role_name, objects) VALUES ('ALTER TABLE', "
                + "format('ALTER TABLE %s REPLICA IDENTITY FULL', r.name), 'pg_catalog', p_role, ARRAY[r.name]);\n"
                + "    END IF;\n"
                + "    EXECUTE format('ALTER PUBLICATION %I ADD TABLE %s', " + Sql.literal(publication) + ", r.rel);\n"
                + "  END LOOP;\n"
                + "  PERFORM set_config('pgrelocate.ddl_busy', 'off', true);\n"
                + "END $fn$";
    }
}
