-- A schema covering every object kind the extractor reproduces. Statements are split on ';' outside
-- quotes and dollar quotes; a statement preceded by a line "-- pgNN+" runs only on major NN or later.
-- Roles torture_alice and torture_bob exist on both servers.
CREATE EXTENSION citext WITH SCHEMA public;
CREATE SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext VERSION '1.7';
CREATE EXTENSION btree_gist;
CREATE EXTENSION postgres_fdw;
CREATE EXTENSION dict_int;
COMMENT ON EXTENSION hstore IS 'key/value pairs';

CREATE SCHEMA app AUTHORIZATION torture_alice;
COMMENT ON SCHEMA app IS 'the application';
CREATE SCHEMA "Odd ""Schema""";
GRANT USAGE ON SCHEMA app TO torture_bob;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT CREATE ON SCHEMA public TO torture_bob;

CREATE COLLATION app.german (provider = icu, locale = 'de-DE');
CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.c_copy FROM "C";
COMMENT ON COLLATION app.german IS 'German';

-- types, created before the functions that they do not depend on
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
CREATE TYPE app.pair AS (a int, b text COLLATE app.german);
CREATE DOMAIN app.posint AS int DEFAULT 1 NOT NULL CONSTRAINT posint_check CHECK (VALUE > 0);
CREATE DOMAIN app.email AS citext CONSTRAINT email_at CHECK (VALUE ~ '@');
ALTER DOMAIN app.email ADD CONSTRAINT email_len CHECK (length(VALUE) < 200) NOT VALID;
CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE app.textrange AS RANGE (subtype = text, collation = "C", multirange_type_name = app.text_ranges);
CREATE TYPE app.shell_later;
-- a base type, whose functions need it as a shell first
CREATE TYPE app.myint;
CREATE FUNCTION app.myint_in(cstring) RETURNS app.myint LANGUAGE internal IMMUTABLE STRICT AS 'int4in';
CREATE FUNCTION app.myint_out(app.myint) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'int4out';
CREATE TYPE app.myint (INPUT = app.myint_in, OUTPUT = app.myint_out, LIKE = int4, CATEGORY = 'N');
COMMENT ON TYPE app.myint IS 'a base type';
COMMENT ON TYPE app.mood IS 'feelings';
COMMENT ON DOMAIN app.posint IS 'positive';
COMMENT ON CONSTRAINT posint_check ON DOMAIN app.posint IS 'must be positive';
COMMENT ON COLUMN app.pair.b IS 'second half';
ALTER TYPE app.pair OWNER TO torture_bob;
GRANT USAGE ON TYPE app.mood TO torture_bob;
REVOKE USAGE ON DOMAIN app.posint FROM PUBLIC;

-- functions and procedures
CREATE FUNCTION app.add_one(i int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT i + 1 $$;
CREATE FUNCTION app.is_even(i int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN i % 2 = 0;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := now(); RETURN NEW; END $$;
CREATE FUNCTION app.noop_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE PROCEDURE app.reset(n int) LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, pg_temp
    AS $$ BEGIN PERFORM n; END $$;
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION app.counted(VARIADIC xs int[]) RETURNS TABLE (n int, label text) LANGUAGE sql STABLE STRICT
    COST 5 ROWS 3 AS $$ SELECT cardinality(xs), 'n' $$;
CREATE FUNCTION app.series(a int, b int) RETURNS SETOF int LANGUAGE sql IMMUTABLE LEAKPROOF PARALLEL RESTRICTED
    SUPPORT pg_catalog.generate_series_int4_support AS $$ SELECT generate_series(a, b) $$;
COMMENT ON FUNCTION app.add_one(int) IS 'adds one';
COMMENT ON PROCEDURE app.reset(int) IS 'resets';
REVOKE EXECUTE ON FUNCTION app.add_one(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.add_one(int) TO torture_bob;
ALTER FUNCTION app.counted(int[]) OWNER TO torture_alice;

-- aggregates
CREATE AGGREGATE app.mysum(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0', PARALLEL = SAFE);
CREATE AGGREGATE app.mysum2(int) (SFUNC = int4pl, STYPE = int, COMBINEFUNC = int4pl, INITCOND = '0',
    MSFUNC = int4pl, MINVFUNC = int4mi, MSTYPE = int, MINITCOND = '0');
CREATE AGGREGATE app.mymax(int) (SFUNC = int4larger, STYPE = int, SORTOP = >);
CREATE AGGREGATE app.my_pct(float8 ORDER BY anyelement) (SFUNC = ordered_set_transition, STYPE = internal,
    FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
COMMENT ON AGGREGATE app.mysum(int) IS 'sums';

-- operators, operator families and classes
CREATE FUNCTION app.pair_eq(app.pair, app.pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a = $2.a $$;
CREATE FUNCTION app.pair_lt(app.pair, app.pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a < $2.a $$;
CREATE FUNCTION app.pair_cmp(app.pair, app.pair) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT btint4cmp($1.a, $2.a) $$;
CREATE OPERATOR app.=== (LEFTARG = app.pair, RIGHTARG = app.pair, FUNCTION = app.pair_eq,
    COMMUTATOR = OPERATOR(app.===), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR app.<<< (LEFTARG = app.pair, RIGHTARG = app.pair, FUNCTION = app.pair_lt);
CREATE OPERATOR app.!! (RIGHTARG = int, FUNCTION = app.add_one);
COMMENT ON OPERATOR app.<<< (app.pair, app.pair) IS 'less';
CREATE OPERATOR FAMILY app.pair_fam USING btree;
CREATE OPERATOR CLASS app.pair_ops FOR TYPE app.pair USING btree FAMILY app.pair_fam AS
    OPERATOR 1 app.<<<, OPERATOR 3 app.===, FUNCTION 1 app.pair_cmp(app.pair, app.pair);
CREATE OPERATOR FAMILY app.loose_fam USING hash;
ALTER OPERATOR FAMILY app.loose_fam USING hash ADD OPERATOR 1 = (int8, int8), FUNCTION 1 (int8) hashint8(int8);
CREATE OPERATOR CLASS app.int_hash_ops FOR TYPE int4 USING hash FAMILY app.loose_fam AS OPERATOR 1 =,
    FUNCTION 1 hashint4(int4);
COMMENT ON OPERATOR CLASS app.pair_ops USING btree IS 'pairs';
COMMENT ON OPERATOR FAMILY app.loose_fam USING hash IS 'loose';

-- casts, conversions, access methods
CREATE FUNCTION app.pair_to_int(app.pair) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a $$;
CREATE CAST (app.pair AS int) WITH FUNCTION app.pair_to_int(app.pair) AS ASSIGNMENT;
CREATE CAST (app.mood AS int) WITH INOUT;
COMMENT ON CAST (app.pair AS int) IS 'pair to int';
CREATE CONVERSION app.myconv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
COMMENT ON CONVERSION app.myconv IS 'latin';
CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;
COMMENT ON ACCESS METHOD heap2 IS 'another heap';

-- text search
CREATE TEXT SEARCH PARSER app.myparser (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
    LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
CREATE TEXT SEARCH TEMPLATE app.mytemplate (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH DICTIONARY app.mydict (TEMPLATE = app.mytemplate, STOPWORDS = english, ACCEPT = false);
CREATE TEXT SEARCH DICTIONARY app.intdict (TEMPLATE = intdict_template, MAXLEN = 4);
CREATE TEXT SEARCH CONFIGURATION app.mycfg (PARSER = app.myparser);
ALTER TEXT SEARCH CONFIGURATION app.mycfg ADD MAPPING FOR word, asciiword WITH app.mydict, simple;
ALTER TEXT SEARCH CONFIGURATION app.mycfg ADD MAPPING FOR int WITH app.intdict;
CREATE TEXT SEARCH CONFIGURATION app.copycfg (COPY = english);
COMMENT ON TEXT SEARCH CONFIGURATION app.mycfg IS 'config';
COMMENT ON TEXT SEARCH DICTIONARY app.mydict IS 'dict';
COMMENT ON TEXT SEARCH PARSER app.myparser IS 'parser';
COMMENT ON TEXT SEARCH TEMPLATE app.mytemplate IS 'template';
ALTER TEXT SEARCH DICTIONARY app.mydict OWNER TO torture_alice;

-- foreign data
CREATE FOREIGN DATA WRAPPER myfdw OPTIONS (debug 'true');
CREATE SERVER remote TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'remote.invalid', dbname 'x', port '5432');
CREATE SERVER other FOREIGN DATA WRAPPER myfdw;
CREATE USER MAPPING FOR torture_alice SERVER remote OPTIONS (user 'alice', password 'secret-pw');
CREATE USER MAPPING FOR PUBLIC SERVER remote OPTIONS (user 'anon');
CREATE FOREIGN TABLE app.remote_items (id int OPTIONS (column_name 'item_id') NOT NULL, name text COLLATE "C")
    SERVER remote OPTIONS (schema_name 'public', table_name 'items');
GRANT USAGE ON FOREIGN SERVER remote TO torture_bob;
GRANT USAGE ON FOREIGN DATA WRAPPER myfdw TO torture_bob;
COMMENT ON SERVER remote IS 'far away';
COMMENT ON FOREIGN DATA WRAPPER myfdw IS 'wrapper';
COMMENT ON FOREIGN TABLE app.remote_items IS 'remote';
ALTER SERVER other OWNER TO torture_alice;
GRANT SELECT ON app.remote_items TO torture_bob;

-- sequences
CREATE SEQUENCE app.seq1 AS smallint START 5 INCREMENT -1 MINVALUE -100 MAXVALUE 100 CACHE 3 CYCLE;
-- pg15+
CREATE UNLOGGED SEQUENCE app.useq;
SELECT setval('app.seq1', 3);
COMMENT ON SEQUENCE app.seq1 IS 'counts down';
GRANT USAGE ON SEQUENCE app.seq1 TO torture_bob;

-- tables
CREATE TABLE app.customer (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 7 CACHE 2) PRIMARY KEY,
    email app.email UNIQUE,
    name text COLLATE app.german NOT NULL,
    mood app.mood DEFAULT 'ok',
    score int DEFAULT app.add_one(1) CONSTRAINT score_even CHECK (app.is_even(score)),
    body text COMPRESSION pglz,
    notes text,
    tags ext.hstore,
    updated timestamptz,
    created date NOT NULL DEFAULT current_date
) WITH (fillfactor = 80, autovacuum_enabled = false);
ALTER TABLE app.customer ALTER COLUMN name SET STORAGE EXTERNAL;
ALTER TABLE app.customer ALTER COLUMN name SET STATISTICS 500;
ALTER TABLE app.customer ALTER COLUMN score SET (n_distinct = 100);
ALTER TABLE app.customer REPLICA IDENTITY FULL;
COMMENT ON TABLE app.customer IS 'customers';
COMMENT ON COLUMN app.customer.email IS 'mail';
COMMENT ON CONSTRAINT score_even ON app.customer IS 'even scores only';
ALTER TABLE app.customer OWNER TO torture_alice;
GRANT SELECT, INSERT ON app.customer TO torture_bob;
GRANT SELECT (name, email), UPDATE (notes) ON app.customer TO torture_bob WITH GRANT OPTION;
CREATE TRIGGER customer_touch BEFORE UPDATE ON app.customer FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION app.touch();
CREATE TRIGGER customer_noop AFTER INSERT ON app.customer REFERENCING NEW TABLE AS fresh
    FOR EACH STATEMENT EXECUTE FUNCTION app.noop_trigger();
ALTER TABLE app.customer DISABLE TRIGGER customer_noop;
ALTER TABLE app.customer ENABLE ALWAYS TRIGGER customer_touch;
COMMENT ON TRIGGER customer_touch ON app.customer IS 'touches';

CREATE TABLE app.orders (
    id int NOT NULL,
    customer_id bigint REFERENCES app.customer ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
    code text,
    during tstzrange,
    room int,
    qty int CONSTRAINT qty_positive CHECK (qty > 0),
    p app.pair,
    CONSTRAINT orders_pkey PRIMARY KEY (id) WITH (fillfactor = 70),
    CONSTRAINT orders_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0)
);
-- pg15+
ALTER TABLE app.orders ADD CONSTRAINT orders_room_key UNIQUE NULLS NOT DISTINCT (room, id);
ALTER TABLE app.orders ADD CONSTRAINT qty_small CHECK (qty < 1000) NOT VALID;
ALTER TABLE app.orders ADD CONSTRAINT orders_cust_full FOREIGN KEY (customer_id) REFERENCES app.customer (id)
    MATCH FULL ON DELETE SET DEFAULT NOT VALID;
CREATE UNIQUE INDEX orders_code_lower ON app.orders (lower(code)) INCLUDE (qty) WHERE qty > 1;
CREATE INDEX orders_brin ON app.orders USING brin (id) WITH (pages_per_range = 16);
CREATE INDEX orders_hash ON app.orders USING hash (code);
CREATE INDEX orders_gin ON app.orders USING gin (to_tsvector('english', code));
CREATE INDEX orders_spgist ON app.orders USING spgist (during);
CREATE INDEX orders_desc ON app.orders (qty DESC NULLS LAST, code COLLATE "C" text_pattern_ops);
CREATE INDEX orders_pair ON app.orders (p app.pair_ops);
ALTER INDEX app.orders_code_lower ALTER COLUMN 1 SET STATISTICS 200;
ALTER TABLE app.orders CLUSTER ON orders_desc;
COMMENT ON INDEX app.orders_brin IS 'block range';
CREATE RULE orders_no_delete AS ON DELETE TO app.orders WHERE old.qty > 100 DO INSTEAD NOTHING;
COMMENT ON RULE orders_no_delete ON app.orders IS 'keep big orders';
-- a privilege granted by a role other than the owner
GRANT SELECT, UPDATE ON app.orders TO torture_alice WITH GRANT OPTION;
SET ROLE torture_alice;
GRANT SELECT ON app.orders TO torture_bob;
RESET ROLE;

CREATE TABLE app.ident (a int NOT NULL, b int NOT NULL, c text);
CREATE UNIQUE INDEX ident_ab ON app.ident (a, b);
ALTER TABLE app.ident REPLICA IDENTITY USING INDEX ident_ab;
CREATE UNLOGGED TABLE app.scratch (id serial PRIMARY KEY, v text) WITH (toast.autovacuum_enabled = false);
CREATE TABLE app.heap2_table (id int, m app.myint) USING heap2;

-- row-level security
CREATE TABLE app.secret (id int PRIMARY KEY, owner name DEFAULT current_user, v text);
ALTER TABLE app.secret ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.secret FORCE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON app.secret USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY bob_reads ON app.secret AS RESTRICTIVE FOR SELECT TO torture_bob, torture_alice USING (id > 0);
CREATE POLICY ins ON app.secret FOR INSERT TO PUBLIC WITH CHECK (v IS NOT NULL);
COMMENT ON POLICY own_rows ON app.secret IS 'own rows only';

-- inheritance
CREATE TABLE app.vehicle (id int NOT NULL, wheels int CHECK (wheels >= 0), name text);
CREATE TABLE app.car (doors int, name text NOT NULL) INHERITS (app.vehicle);
CREATE TABLE app.truck (load numeric) INHERITS (app.vehicle);
ALTER TABLE app.truck ADD CONSTRAINT truck_load CHECK (load > 0);

-- partitioning: range with list sub-partitions, defaults, hash
CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL, payload jsonb,
    PRIMARY KEY (id, at, kind)) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    PARTITION BY LIST (kind);
CREATE TABLE app.events_2024_ab PARTITION OF app.events_2024 FOR VALUES IN ('a', 'b');
CREATE TABLE app.events_2024_rest PARTITION OF app.events_2024 DEFAULT;
CREATE TABLE app.events_old PARTITION OF app.events FOR VALUES FROM (MINVALUE) TO ('2024-01-01')
    WITH (fillfactor = 90);
CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;
CREATE INDEX events_kind ON app.events (kind);
CREATE INDEX events_payload ON app.events USING gin (payload jsonb_path_ops);
CREATE TRIGGER events_noop AFTER INSERT ON app.events FOR EACH ROW EXECUTE FUNCTION app.noop_trigger();
CREATE TABLE app.hashed (id int, v text) PARTITION BY HASH (id);
CREATE TABLE app.hashed_0 PARTITION OF app.hashed FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE app.hashed_1 PARTITION OF app.hashed FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE app.event_refs (id bigint, at date, kind text, FOREIGN KEY (id, at, kind) REFERENCES app.events ON DELETE CASCADE);
COMMENT ON TABLE app.events IS 'partitioned';

-- views, materialized views, statistics
CREATE VIEW app.customer_names WITH (security_barrier = true) AS SELECT id, name FROM app.customer WHERE score > 0;
CREATE VIEW app.checked AS SELECT * FROM app.orders WHERE qty > 0 WITH CASCADED CHECK OPTION;
CREATE MATERIALIZED VIEW app.order_totals AS SELECT customer_id, count(*) AS n FROM app.orders GROUP BY 1;
CREATE UNIQUE INDEX order_totals_id ON app.order_totals (customer_id);
CREATE MATERIALIZED VIEW app.never_filled AS SELECT 1 AS one WITH NO DATA;
CREATE MATERIALIZED VIEW app.totals_of_totals AS SELECT sum(n) AS total FROM app.order_totals;
COMMENT ON VIEW app.customer_names IS 'names';
COMMENT ON MATERIALIZED VIEW app.order_totals IS 'totals';
COMMENT ON COLUMN app.customer_names.name IS 'view column';
GRANT SELECT ON app.customer_names TO torture_bob;
CREATE STATISTICS app.orders_stats (ndistinct, dependencies) ON customer_id, room FROM app.orders;
CREATE STATISTICS app.orders_expr_stats ON lower(code), qty FROM app.orders;
ALTER STATISTICS app.orders_stats SET STATISTICS 300;
COMMENT ON STATISTICS app.orders_stats IS 'stats';

-- event triggers
CREATE EVENT TRIGGER log_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION app.on_ddl();
ALTER EVENT TRIGGER log_ddl DISABLE;
COMMENT ON EVENT TRIGGER log_ddl IS 'logs';

-- default privileges, settings
ALTER DEFAULT PRIVILEGES FOR ROLE torture_alice IN SCHEMA app GRANT SELECT ON TABLES TO torture_bob;
ALTER DEFAULT PRIVILEGES FOR ROLE torture_alice REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO torture_bob;

-- objects that once aborted the whole migration: an operator class with no members (STORAGE of its own
-- input type), and a child column inheriting a generated column that it also lists itself
CREATE OPERATOR FAMILY app.empty_fam USING btree;
CREATE OPERATOR CLASS app.empty_ops FOR TYPE bigint USING btree FAMILY app.empty_fam AS STORAGE bigint;
CREATE TABLE app.gen_parent (col1 int, col2 int GENERATED ALWAYS AS (col1 * 2) STORED);
CREATE TABLE app.gen_child (col1 int, col2 int) INHERITS (app.gen_parent);
INSERT INTO app.gen_child (col1) VALUES (21);

-- what pg_dump recreates and CREATE TABLE / CREATE VIEW cannot say: a partition's own column default, a view
-- column's default, partitions' trigger clones in every state, a materialized view column's compression, and
-- the public schema with initdb's comment removed
COMMENT ON SCHEMA public IS '';
CREATE TABLE app.sales (region text, unitsales integer DEFAULT 1) PARTITION BY LIST (region);
CREATE TABLE app.sales_east PARTITION OF app.sales FOR VALUES IN ('east');
CREATE TABLE app.sales_west PARTITION OF app.sales FOR VALUES IN ('west');
CREATE TABLE app.sales_north PARTITION OF app.sales FOR VALUES IN ('north');
CREATE TABLE app.sales_south PARTITION OF app.sales FOR VALUES IN ('south');
ALTER TABLE ONLY app.sales_west ALTER COLUMN unitsales SET DEFAULT 0;
ALTER TABLE ONLY app.sales_south ALTER COLUMN unitsales DROP DEFAULT;
CREATE TRIGGER sales_noop BEFORE INSERT ON app.sales FOR EACH ROW EXECUTE FUNCTION app.noop_trigger();
ALTER TABLE app.sales_east DISABLE TRIGGER sales_noop;
ALTER TABLE app.sales_west ENABLE REPLICA TRIGGER sales_noop;
ALTER TABLE app.sales_north ENABLE ALWAYS TRIGGER sales_noop;
CREATE VIEW app.labelled AS SELECT 1 AS id, 'x'::text AS label;
ALTER VIEW app.labelled ALTER COLUMN label SET DEFAULT 'none';
CREATE MATERIALIZED VIEW app.compressed AS SELECT 'abc'::text AS body;
ALTER MATERIALIZED VIEW app.compressed ALTER COLUMN body SET COMPRESSION pglz;

-- privileges changed on objects the migration does not create (built-in ones and extension members),
-- replayed as their difference from pg_init_privs
REVOKE ALL ON FUNCTION pg_catalog.pg_sleep(double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_sleep(double precision) TO torture_bob;
GRANT SELECT (relname, relkind) ON pg_catalog.pg_class TO torture_bob;
REVOKE EXECUTE ON FUNCTION public.citext_hash(public.citext) FROM PUBLIC;
REVOKE ALL ON LANGUAGE plpgsql FROM PUBLIC;

-- a procedural language created without an extension, a function in it, and a transform
CREATE LANGUAGE homemade_pl HANDLER plpgsql_call_handler;
CREATE FUNCTION app.in_homemade() RETURNS int LANGUAGE homemade_pl AS $$ BEGIN RETURN 1; END $$;
CREATE TRANSFORM FOR int LANGUAGE homemade_pl (FROM SQL WITH FUNCTION pg_catalog.gtsvector_compress(internal),
    TO SQL WITH FUNCTION pg_catalog.int4recv(internal));
COMMENT ON LANGUAGE homemade_pl IS 'home made';

-- PostgreSQL 18: a virtual generated column, temporal keys (WITHOUT OVERLAPS, PERIOD), named, NO INHERIT and
-- NOT VALID NOT NULL constraints (the latter over a NULL the copy must keep), a NOT ENFORCED check
-- pg18+
CREATE TABLE app.booking (room int4range, during tstzrange,
    width int GENERATED ALWAYS AS (upper(room) - lower(room)) VIRTUAL,
    guest text CONSTRAINT booking_guest_required NOT NULL,
    CONSTRAINT booking_pk PRIMARY KEY (room, during WITHOUT OVERLAPS));
-- pg18+
CREATE TABLE app.stay (id int, room int4range, during tstzrange, note text,
    qty int CONSTRAINT qty_unenforced CHECK (qty > 0) NOT ENFORCED,
    CONSTRAINT stay_booking_fk FOREIGN KEY (room, PERIOD during) REFERENCES app.booking (room, PERIOD during));
-- pg18+
INSERT INTO app.booking (room, during, guest) VALUES ('[1,3)', '[2025-01-01,2025-01-05)', 'ann');
-- pg18+
INSERT INTO app.stay VALUES (1, '[1,3)', '[2025-01-02,2025-01-03)', NULL, -1);
-- pg18+
ALTER TABLE app.stay ADD CONSTRAINT stay_note_required NOT NULL note NOT VALID;
-- pg18+
ALTER TABLE app.stay ADD CONSTRAINT stay_id_required NOT NULL id NO INHERIT;

-- publications, as pg_dump recreates them (publishing inserts only: a keyless table in one would refuse updates)
CREATE PUBLICATION pub_all FOR ALL TABLES WITH (publish = 'insert', publish_via_partition_root = true);
COMMENT ON PUBLICATION pub_all IS 'everything';
CREATE PUBLICATION pub_some FOR TABLE app.orders, ONLY app.events WITH (publish = 'insert, truncate');
ALTER PUBLICATION pub_some OWNER TO torture_alice;
CREATE PUBLICATION "Pub Empty" WITH (publish = '');
-- pg15+
CREATE PUBLICATION pub_filtered FOR TABLE app.customer (id, score, created) WHERE (score > 10 AND created IS NOT NULL),
    app.hashed WITH (publish = 'insert');
-- pg15+
CREATE PUBLICATION pub_schema FOR TABLES IN SCHEMA "Odd ""Schema""", TABLE app.car;

-- data
INSERT INTO app.customer (email, name, mood, score, body, tags) SELECT 'c' || g || '@x.org', 'name ' || g, 'happy', 2 * g,
    repeat('b', 10), 'a=>1' FROM generate_series(1, 20) g;
INSERT INTO app.orders SELECT g, 100 + 7 * (g % 20), 'code' || g, tstzrange(now(), NULL), NULL, g % 50 + 1, ROW(g, 'x'::text)::app.pair
    FROM generate_series(1, 200) g;
INSERT INTO app.events SELECT g, DATE '2023-12-25' + g, (ARRAY['a', 'b', 'c'])[1 + g % 3], '{"k": 1}'
    FROM generate_series(1, 400) g;
INSERT INTO app.hashed SELECT g, 'v' FROM generate_series(1, 10) g;
INSERT INTO app.heap2_table VALUES (1, '42'), (2, '-7');
INSERT INTO app.car VALUES (1, 4, 'beetle', 2);
REFRESH MATERIALIZED VIEW app.order_totals;
REFRESH MATERIALIZED VIEW app.totals_of_totals;
SELECT lo_from_bytea(424242, 'large object one');
SELECT lo_from_bytea(0, decode(repeat('00ff', 300000), 'hex'));
ALTER LARGE OBJECT 424242 OWNER TO torture_alice;
GRANT SELECT ON LARGE OBJECT 424242 TO torture_bob;
COMMENT ON LARGE OBJECT 424242 IS 'the first';
