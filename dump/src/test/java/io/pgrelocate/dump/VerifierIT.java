package io.pgrelocate.dump;

import io.pgrelocate.dump.Difference.Problem;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** verify between servers of the same major (17 and 17). */
class VerifierIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    private VerifyResult verify(String... databases) {
        return Verifier.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .databases(databases).jobs(3).build().verify();
    }

    @Test
    void matchesAFaithfulCopyThenNamesEachObjectAndTableChangedOnTheTarget() {
        String db = pg.newDatabase("verify");
        VerifySchemas.manyKinds(pg.source(), db);
        VerifySchemas.migrate(pg, List.of(db));
        // pgrelocate's own state schema on the target is not part of the comparison
        pg.target().execute(db, "CREATE SCHEMA pgrelocate", "CREATE TABLE pgrelocate.progress (lsn text)");

        VerifyResult same = verify(db);

        assertThat(same.differences()).as(same.toText()).isEmpty();
        assertThat(same.matches()).isTrue();
        assertThat(same.tablesCompared()).as("customer, orders, 2 partitions, scratch, revenue").isEqualTo(6);
        assertThat(same.rowsCompared()).isEqualTo(200 + 3000 + 500 + 2 + 200);
        assertThat(same.objectsCompared()).isGreaterThan(50);

        pg.target().execute(db,
                "DROP INDEX app.orders_placed",
                "CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "NEW.placed := now() + interval '1 day'; RETURN NEW; END $$",
                "UPDATE app.customer SET name = 'changed' WHERE id = 7",
                "DELETE FROM app.events WHERE at = '2024-03-01'",
                "INSERT INTO app.scratch VALUES ('extra', '{}')",
                "SELECT setval('app.ticket', 500)",
                "SELECT lo_from_bytea(0, 'only on the target')",
                "COMMENT ON TABLE app.orders IS 'changed'",
                "GRANT SELECT ON app.open_orders TO PUBLIC",
                "ALTER TABLE app.orders ALTER COLUMN status SET DEFAULT 'paid'");

        VerifyResult changed = verify(db);

        assertThat(changed.matches()).isFalse();
        assertThat(changed.differences()).as(changed.toText())
                .extracting(Difference::database, Difference::kind, Difference::object, Difference::problem)
                .containsExactlyInAnyOrder(
                        tuple(db, "index", "app.orders_placed", Problem.MISSING_ON_TARGET),
                        tuple(db, "function", "app.touch()", Problem.DEFINITION_DIFFERS),
                        tuple(db, "table", "app.customer", Problem.CONTENT_DIFFERS),
                        tuple(db, "table", "app.events_2024", Problem.ROW_COUNT_DIFFERS),
                        tuple(db, "table", "app.scratch", Problem.ROW_COUNT_DIFFERS),
                        tuple(db, "sequence", "app.ticket", Problem.CONTENT_DIFFERS),
                        tuple(db, "large objects", "pg_largeobject", Problem.ROW_COUNT_DIFFERS),
                        tuple(db, "table", "app.orders", Problem.DEFINITION_DIFFERS),
                        tuple(db, "view", "app.open_orders", Problem.DEFINITION_DIFFERS),
                        tuple(db, "column", "app.orders.status", Problem.DEFINITION_DIFFERS));
        assertThat(changed.toText()).contains(db + ": index app.orders_placed: missing on target")
                .contains("interval '1 day'").contains("source 366 rows, target 365 rows")
                .contains("source 2 rows, target 3 rows")
                .contains("table app.orders: definition differs: comment: source \"one row per order\", target \"changed\"")
                .contains("view app.open_orders: definition differs: acl: source \"\", target \"PUBLIC=SELECT\"")
                .contains("default: source \"'new'::app.status\", target \"'paid'::app.status\"");
        assertThat(changed.toJson()).contains("\"matches\":false")
                .contains("{\"database\":\"" + db + "\",\"kind\":\"index\",\"object\":\"app.orders_placed\","
                        + "\"problem\":\"MISSING_ON_TARGET\"");
    }

    // guards: verify compares every kind the migration copies beyond tables, and privileges changed on built-ins
    @Test
    void namesEachOtherKindOfObjectChangedOnTheTarget() {
        String db = pg.newDatabase("verify_kinds");
        pg.source().execute(db,
                "CREATE SCHEMA app",
                "CREATE TABLE app.t (a int, b int)",
                "CREATE COLLATION app.plain (locale = 'C')",
                "CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq)",
                "CREATE OPERATOR FAMILY app.fam USING btree",
                "CREATE OPERATOR CLASS app.empty_ops FOR TYPE bigint USING btree FAMILY app.fam AS STORAGE bigint",
                "CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = english)",
                "CREATE TEXT SEARCH DICTIONARY app.dict (TEMPLATE = simple, STOPWORDS = english)",
                "CREATE FOREIGN DATA WRAPPER kinds_fdw",
                "CREATE SERVER kinds_srv FOREIGN DATA WRAPPER kinds_fdw OPTIONS (host 'a')",
                "CREATE USER MAPPING FOR PUBLIC SERVER kinds_srv OPTIONS (user 'u', password 'first-secret')",
                "CREATE FOREIGN TABLE app.ft (id int) SERVER kinds_srv",
                "CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$",
                "CREATE EVENT TRIGGER kinds_ddl ON ddl_command_end EXECUTE FUNCTION app.on_ddl()",
                "CREATE STATISTICS app.st ON a, b FROM app.t",
                "CREATE AGGREGATE app.agg(int) (SFUNC = int4pl, STYPE = int, MSFUNC = int4pl, MINVFUNC = int4mi, "
                        + "MSTYPE = int)",
                "CREATE TYPE app.pt AS (x int)",
                "CREATE TABLE app.typed OF app.pt",
                "CREATE PUBLICATION kinds_filtered FOR TABLE app.t (a) WHERE (a > 1) WITH (publish = 'insert')",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC",
                "ALTER DATABASE " + db + " SET work_mem = '8MB'",
                "REVOKE ALL ON FUNCTION pg_catalog.pg_sleep(double precision) FROM PUBLIC");
        VerifySchemas.migrate(pg, List.of(db));
        VerifyResult same = verify(db);
        assertThat(same.differences()).as(same.toText()).isEmpty();

        pg.source().execute(db, "CREATE PUBLICATION kinds_pub FOR TABLE app.t");
        pg.target().execute(db,
                "COMMENT ON COLLATION app.plain IS 'changed'",
                "COMMENT ON OPERATOR app.=== (int, int) IS 'changed'",
                "COMMENT ON OPERATOR CLASS app.empty_ops USING btree IS 'changed'",
                "ALTER OPERATOR FAMILY app.fam USING btree ADD OPERATOR 1 < (int8, int8)",
                "ALTER TEXT SEARCH CONFIGURATION app.cfg DROP MAPPING FOR email",
                "ALTER TEXT SEARCH DICTIONARY app.dict (STOPWORDS = russian)",
                "ALTER SERVER kinds_srv OPTIONS (SET host 'b')",
                "ALTER USER MAPPING FOR PUBLIC SERVER kinds_srv OPTIONS (SET password 'second-secret')",
                "ALTER FOREIGN TABLE app.ft ADD COLUMN x int",
                "ALTER EVENT TRIGGER kinds_ddl DISABLE",
                "ALTER STATISTICS app.st SET STATISTICS 50",
                "DROP AGGREGATE app.agg(int)",
                "CREATE AGGREGATE app.agg(int) (SFUNC = int4pl, STYPE = int)",
                "ALTER TABLE app.typed NOT OF",
                "ALTER TABLE app.t ALTER COLUMN b SET STATISTICS 7",
                "ALTER PUBLICATION kinds_filtered SET TABLE app.t (a, b) WHERE (a > 2)",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO PUBLIC",
                "ALTER DATABASE " + db + " SET work_mem = '16MB'",
                "COMMENT ON DATABASE " + db + " IS 'changed'",
                "GRANT CREATE ON DATABASE " + db + " TO PUBLIC",
                "GRANT EXECUTE ON FUNCTION pg_catalog.pg_sleep(double precision) TO PUBLIC");

        VerifyResult changed = verify(db);

        assertThat(changed.differences()).as(changed.toText())
                .extracting(Difference::kind, Difference::object)
                .containsExactlyInAnyOrder(
                        tuple("collation", "app.plain"),
                        tuple("operator", "app.===(integer, integer)"),
                        tuple("operator class", "app.empty_ops using btree"),
                        tuple("operator family", "app.fam using btree"),
                        tuple("text search configuration", "app.cfg"),
                        tuple("text search dictionary", "app.dict"),
                        tuple("server", "kinds_srv"),
                        tuple("user mapping", "PUBLIC on kinds_srv"),
                        tuple("foreign table", "app.ft"),
                        tuple("event trigger", "kinds_ddl"),
                        tuple("publication", "kinds_pub"),
                        tuple("publication", "kinds_filtered"),
                        tuple("statistics", "app.st"),
                        tuple("aggregate", "app.agg(integer)"),
                        tuple("table", "app.typed"),
                        tuple("column", "app.t.b"),
                        tuple("default privileges", "for postgres in app on tables"),
                        tuple("settings", "of the database"),
                        tuple("database comment and privileges", db),
                        tuple("initial privileges", "ROUTINE pg_sleep(double precision)"));
        assertThat(changed.toText()).as("no user mapping password is shown")
                .doesNotContain("first-secret").doesNotContain("second-secret");
    }

    // guards: an index behind a key is described by its constraint (not deparsed), comments by a look-up of their own
    @Test
    void namesEachIndexBehindAKeyAndEachCommentThatDiffers() {
        String db = pg.newDatabase("keys");
        pg.target().createDatabase(db);
        for (var server : List.of(pg.source(), pg.target())) {
            server.execute(db, "CREATE TABLE k (id int PRIMARY KEY, a int, b int, c int, "
                            + "CONSTRAINT k_a UNIQUE (a) INCLUDE (c), CONSTRAINT k_b UNIQUE (b))",
                    "CREATE INDEX k_c ON k (c DESC)", "COMMENT ON INDEX k_pkey IS 'the key'",
                    "COMMENT ON COLUMN k.a IS 'alpha'");
        }
        assertThat(verify(db).differences()).isEmpty();

        pg.target().execute(db, "ALTER INDEX k_pkey SET (fillfactor = 70)", "COMMENT ON INDEX k_pkey IS 'changed'",
                "ALTER TABLE k DROP CONSTRAINT k_a", "ALTER TABLE k ADD CONSTRAINT k_a UNIQUE (a)",
                "ALTER TABLE k DROP CONSTRAINT k_b", "CREATE UNIQUE INDEX k_b ON k (b)",
                "COMMENT ON COLUMN k.a IS 'changed'");

        VerifyResult changed = verify(db);

        assertThat(changed.differences()).as(changed.toText())
                .extracting(Difference::kind, Difference::object, Difference::problem)
                .containsExactlyInAnyOrder(
                        tuple("index", "public.k_pkey", Problem.DEFINITION_DIFFERS),
                        tuple("index", "public.k_a", Problem.DEFINITION_DIFFERS),
                        tuple("constraint", "k_a on public.k", Problem.DEFINITION_DIFFERS),
                        tuple("index", "public.k_b", Problem.DEFINITION_DIFFERS),
                        tuple("constraint", "k_b on public.k", Problem.MISSING_ON_TARGET),
                        tuple("column", "public.k.a", Problem.DEFINITION_DIFFERS));
        assertThat(changed.toText())
                .contains("target \"constraint k_pkey on public.k: PRIMARY KEY (id) WITH (fillfactor=70)\"")
                .contains("target \"changed\"").contains("INCLUDE (c)")
                .contains("CREATE UNIQUE INDEX k_b ON public.k USING btree (b)");
    }
}
