package io.pgrelocate.testkit;

import io.pgrelocate.core.spi.Sql;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Names an attacker (or an unlucky user) could give objects: quotes, {@code |}, {@code ;}, {@code --}, backslashes,
 * newlines, unicode, 63-byte names, reserved words, upper case and leading digits, for roles, schemas, tables,
 * columns, indexes, constraints, sequences, types, functions and their arguments, with privileges and default
 * privileges granted to hostile roles. Text that, spliced unquoted into SQL, would create the role {@link #CANARY}.
 *
 * <pre>{@code
 * HostileNames.createRoles(pg.source());
 * HostileNames.createRoles(pg.target());   // roles are not migrated
 * HostileNames.schema(pg.source(), db);
 * ... migrate ...
 * assertThat(HostileNames.canaryExists(pg.target())).isFalse();
 * }</pre>
 */
public final class HostileNames {
    /** A role whose name, split on {@code |} and spliced into a GRANT, creates {@link #CANARY}. */
    public static final String INJECTOR = "postgres|SELECT ON TABLES TO PUBLIC;CREATE ROLE pwned;--";
    /** A role whose name, split on {@code |}, loses its grants. */
    public static final String PIPE = "x|y";
    /** Quote, apostrophe, backslash, newline and a semicolon. */
    public static final String QUOTER = "Ro\"le'\\\n;DROP ROLE postgres;--";
    /** The role the injected text would create. */
    public static final String CANARY = "pwned";
    public static final List<String> ROLES = List.of(INJECTOR, PIPE, QUOTER);

    public static final String SCHEMA = "Sch\"e'ma|;--\\ x";
    public static final String RESERVED = "select";
    public static final String NEWLINE_SCHEMA = "1st\nline ü✓";
    /** Exactly 63 bytes in UTF-8, the longest name PostgreSQL keeps whole. */
    public static final String LONG_TABLE = pad("Tä|;--\"'\\", 63);
    public static final String TABLE = "Tab\"le|;--\nGRANT";
    public static final String KEY = "Id|;--";
    public static final String COLUMN = "Col\"|;--";

    private HostileNames() {
    }

    /** Creates the hostile roles on {@code server} unless they exist (roles are cluster-wide). */
    public static void createRoles(SqlRunner server) {
        for (String r : ROLES) {
            server.execute("postgres", "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                    + Sql.literal(r) + ") THEN CREATE ROLE " + Sql.ident(r) + "; END IF; END$$");
        }
    }

    /** Drops the hostile roles and whatever they hold in every database of {@code server}. */
    public static void dropRoles(SqlRunner server) {
        for (String db : server.queryColumn("postgres", "SELECT datname FROM pg_database WHERE datallowconn")) {
            for (String r : ROLES) {
                if (server.queryLong("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = " + Sql.literal(r)) > 0) {
                    server.execute(db, "REASSIGN OWNED BY " + Sql.ident(r) + " TO postgres", "DROP OWNED BY " + Sql.ident(r));
                }
            }
        }
        for (String r : ROLES) {
            server.execute("postgres", "DROP ROLE IF EXISTS " + Sql.ident(r));
        }
    }

    /** Whether the role the injected text would create exists on {@code server}. */
    public static boolean canaryExists(SqlRunner server) {
        return server.queryLong("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = " + Sql.literal(CANARY)) > 0;
    }

    /**
     * Creates the hostile schema in {@code db}: three schemas, tables with hostile columns, keys, indexes,
     * constraints, a sequence, types, a function, privileges (table, column, by a hostile grantor) and default
     * privileges, all naming the hostile roles (which must exist), and a few rows of hostile text.
     */
    public static void schema(SqlRunner server, String db) {
        String s = Sql.ident(SCHEMA);
        String t = Sql.qualified(SCHEMA, TABLE);
        String longT = Sql.qualified(NEWLINE_SCHEMA, LONG_TABLE);
        String seq = Sql.qualified(SCHEMA, "Seq|\"q");
        String injector = Sql.ident(INJECTOR);
        String pipe = Sql.ident(PIPE);
        String quoter = Sql.ident(QUOTER);
        server.execute(db,
                "CREATE SCHEMA " + s, "CREATE SCHEMA " + Sql.ident(RESERVED), "CREATE SCHEMA " + Sql.ident(NEWLINE_SCHEMA),
                "CREATE TYPE " + Sql.qualified(SCHEMA, "Mood|;--") + " AS ENUM ('a''|;--', E'b\\\\\\n', 'ü')",
                "CREATE TYPE " + Sql.qualified(RESERVED, "Pair\"x") + " AS (\"Left|\" int, \"right;--\" text)",
                "CREATE SEQUENCE " + seq,
                "CREATE TABLE " + t + " (" + Sql.ident(KEY) + " int PRIMARY KEY, " + Sql.ident(COLUMN) + " text, "
                        + "\"order\" int DEFAULT nextval(" + Sql.literal(seq) + "), \"UPPER\" "
                        + Sql.qualified(SCHEMA, "Mood|;--") + ", \"2nd\" int, \"new\nline\" "
                        + Sql.qualified(RESERVED, "Pair\"x") + ", \"back\\slash'\" text)",
                "ALTER TABLE " + t + " ADD CONSTRAINT \"Chk'|;--\n\" CHECK (\"2nd\" > 0)",
                "ALTER TABLE " + t + " ADD CONSTRAINT \"Uq|;\" UNIQUE (\"order\")",
                "CREATE INDEX \"Idx|;--\\\" ON " + t + " (" + Sql.ident(COLUMN) + ", \"back\\slash'\")",
                "CREATE TABLE " + longT + " (\"select\" int PRIMARY KEY, \"Ref|;--\" int CONSTRAINT \"Fk|;--\" "
                        + "REFERENCES " + t + ", \"ü✓\" text)",
                "CREATE FUNCTION " + Sql.qualified(SCHEMA, "Fn|;--") + "(\"Arg|;--\" int, \"select\" text) "
                        + "RETURNS text LANGUAGE sql AS $$ SELECT $2 || $1 $$",
                "INSERT INTO " + t + " VALUES (1, 'a''|;--\n\\', DEFAULT, 'ü', 1, ROW(1, 'x|y'), E'\\\\'), "
                        + "(2, 'postgres|SELECT ON TABLES TO PUBLIC;CREATE ROLE pwned;--', DEFAULT, 'a''|;--', 2, NULL, NULL)",
                "INSERT INTO " + longT + " VALUES (1, 1, '✓'), (2, 1, NULL)",
                // privileges: table, column, with grant option, and through a hostile grantor
                "GRANT USAGE ON SCHEMA " + s + " TO " + injector + ", " + pipe,
                // the owner of the referencing table reads it when a referenced key changes
                "GRANT USAGE ON SCHEMA " + Sql.ident(NEWLINE_SCHEMA) + " TO " + quoter,
                "GRANT SELECT, INSERT ON " + t + " TO " + injector,
                "GRANT SELECT ON " + t + " TO " + pipe + " WITH GRANT OPTION",
                "GRANT UPDATE (" + Sql.ident(COLUMN) + ", \"2nd\") ON " + t + " TO " + pipe + ", " + quoter,
                "SET ROLE " + pipe, "GRANT SELECT ON " + t + " TO " + quoter, "RESET ROLE",
                "GRANT USAGE ON SEQUENCE " + seq + " TO " + injector,
                "GRANT USAGE ON TYPE " + Sql.qualified(SCHEMA, "Mood|;--") + " TO " + quoter,
                "REVOKE EXECUTE ON FUNCTION " + Sql.qualified(SCHEMA, "Fn|;--") + "(int, text) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION " + Sql.qualified(SCHEMA, "Fn|;--") + "(int, text) TO " + injector,
                "ALTER FUNCTION " + Sql.qualified(SCHEMA, "Fn|;--") + "(int, text) OWNER TO " + pipe,
                "ALTER TABLE " + longT + " OWNER TO " + quoter,
                // default privileges: global and per schema, for and to hostile roles
                "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO " + injector,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA " + s + " GRANT SELECT, UPDATE ON TABLES TO " + pipe,
                "ALTER DEFAULT PRIVILEGES FOR ROLE " + pipe + " IN SCHEMA " + Sql.ident(RESERVED)
                        + " GRANT USAGE ON SEQUENCES TO " + injector + " WITH GRANT OPTION",
                "ALTER DEFAULT PRIVILEGES FOR ROLE " + injector + " GRANT EXECUTE ON FUNCTIONS TO " + quoter);
    }

    /** Changes to stream: inserts, updates (key included) and deletes of hostile text in the hostile tables. */
    public static void changes(SqlRunner server, String db) {
        String t = Sql.qualified(SCHEMA, TABLE);
        String longT = Sql.qualified(NEWLINE_SCHEMA, LONG_TABLE);
        server.execute(db,
                "INSERT INTO " + t + " VALUES (3, E'x|y;--\\n''\"', DEFAULT, 'b\\\n', 3, ROW(3, ';--'), 'ü')",
                "UPDATE " + t + " SET " + Sql.ident(COLUMN) + " = 'CREATE ROLE pwned;--|' WHERE " + Sql.ident(KEY) + " = 1",
                "UPDATE " + t + " SET " + Sql.ident(KEY) + " = 20 WHERE " + Sql.ident(KEY) + " = 2",
                "INSERT INTO " + longT + " VALUES (3, 3, E'\\\\|')",
                "DELETE FROM " + longT + " WHERE \"select\" = 1");
    }

    /** The rows of the default privileges, as text, in a stable order (verify does not compare these yet). */
    public static List<List<Object>> defaultPrivileges(SqlRunner server, String db) {
        return server.query(db, "SELECT pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype::text, "
                + "(SELECT array_agg(x::text ORDER BY x::text) FROM unnest(d.defaclacl) x)::text FROM pg_default_acl d "
                + "LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1, 2, 3");
    }

    private static String pad(String start, int bytes) {
        StringBuilder sb = new StringBuilder(start);
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
            sb.append('x');
        }
        return sb.toString();
    }
}
