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

-- options from the CREATE and ALTER reference pages (14 to 18) that nothing above exercised
-- views: security_invoker, check_option as a reloption with column names, RECURSIVE, INSTEAD OF triggers,
-- rules with several actions and in every enable state
-- pg15+
CREATE VIEW app.invoker_names WITH (security_invoker = true, security_barrier = false) AS
    SELECT id, name FROM app.customer;
CREATE VIEW app.local_checked (order_id, quantity) WITH (check_option = local) AS
    SELECT id, qty FROM app.orders WHERE qty > 10;
CREATE RECURSIVE VIEW app.countdown (n) AS SELECT 3 UNION ALL SELECT n - 1 FROM countdown WHERE n > 1;
CREATE FUNCTION app.view_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER labelled_write INSTEAD OF INSERT OR UPDATE ON app.labelled FOR EACH ROW EXECUTE FUNCTION app.view_write();
CREATE TABLE app.audit_log (what text, at timestamptz DEFAULT now());
CREATE RULE orders_log_qty AS ON UPDATE TO app.orders WHERE new.qty <> old.qty DO ALSO
    (INSERT INTO app.audit_log (what) VALUES ('qty ' || old.id); INSERT INTO app.audit_log (what) VALUES ('again'));
ALTER TABLE app.orders DISABLE RULE orders_log_qty;
CREATE VIEW app.log_view AS SELECT what FROM app.audit_log;
CREATE RULE log_view_insert AS ON INSERT TO app.log_view DO INSTEAD
    INSERT INTO app.audit_log (what) VALUES (new.what) RETURNING audit_log.what;
CREATE RULE customer_gone AS ON DELETE TO app.customer DO ALSO NOTIFY customer_gone;
ALTER TABLE app.customer ENABLE REPLICA RULE customer_gone;
CREATE RULE audit_always AS ON UPDATE TO app.audit_log DO ALSO NOTIFY audit_changed;
ALTER TABLE app.audit_log ENABLE ALWAYS RULE audit_always;

-- materialized views: access method, storage parameters (heap and toast), column names, left unpopulated
CREATE MATERIALIZED VIEW app.tuned_mv (order_id, order_code) USING heap2
    WITH (fillfactor = 50, autovacuum_enabled = false, toast.autovacuum_enabled = false)
    AS SELECT id, code FROM app.orders WITH NO DATA;
CREATE MATERIALIZED VIEW app.filled_heap2 USING heap2 AS SELECT 1 AS one;

-- triggers: constraint triggers (deferrable, FROM a referenced table, with arguments), both transition
-- tables, TRUNCATE, UPDATE OF columns, EXECUTE PROCEDURE
CREATE FUNCTION app.check_later() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER orders_check_later AFTER INSERT OR UPDATE OF qty, code ON app.orders FROM app.customer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.qty IS NOT NULL)
    EXECUTE FUNCTION app.check_later('it''s', 'two words', '');
CREATE CONSTRAINT TRIGGER orders_check_now AFTER DELETE ON app.orders NOT DEFERRABLE FOR EACH ROW
    EXECUTE FUNCTION app.check_later();
CREATE TRIGGER orders_changes AFTER UPDATE ON app.orders REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION app.noop_trigger();
CREATE TRIGGER orders_truncate BEFORE TRUNCATE ON app.orders FOR EACH STATEMENT EXECUTE FUNCTION app.noop_trigger();
CREATE TRIGGER orders_deleted AFTER DELETE ON app.orders FOR EACH ROW WHEN (OLD.qty > 5)
    EXECUTE PROCEDURE app.noop_trigger();
ALTER TABLE app.orders ENABLE REPLICA TRIGGER orders_truncate;

-- policies: FOR UPDATE with USING and WITH CHECK, RESTRICTIVE FOR DELETE to PUBLIC and a role, a policy on a
-- table without row security, row security with no policy at all
CREATE POLICY alice_updates ON app.secret AS PERMISSIVE FOR UPDATE TO torture_alice USING (owner = current_user)
    WITH CHECK (v <> '');
CREATE POLICY nobody_deletes ON app.secret AS RESTRICTIVE FOR DELETE TO PUBLIC, torture_bob USING (false);
CREATE POLICY dormant ON app.scratch USING (true);
ALTER TABLE app.ident ENABLE ROW LEVEL SECURITY;

-- statistics: mcv, a single expression, every kind over a column and an expression, a partitioned table
CREATE STATISTICS app.orders_mcv (mcv) ON qty, room FROM app.orders;
CREATE STATISTICS app.orders_one_expr ON (qty * 2) FROM app.orders;
CREATE STATISTICS app.orders_all_kinds (ndistinct, dependencies, mcv) ON code, (qty + room) FROM app.orders;
CREATE STATISTICS app.events_stats ON kind, at FROM app.events;

-- aggregates: internal state with SSPACE, serial/deserial and combine functions, a moving aggregate with its
-- own final function, a hypothetical-set aggregate with FINALFUNC_MODIFY, a variadic one
CREATE AGGREGATE app.my_avg(numeric) (SFUNC = numeric_avg_accum, STYPE = internal, SSPACE = 128,
    FINALFUNC = numeric_avg, COMBINEFUNC = numeric_avg_combine, SERIALFUNC = numeric_avg_serialize,
    DESERIALFUNC = numeric_avg_deserialize, MSFUNC = numeric_avg_accum, MINVFUNC = numeric_accum_inv,
    MSTYPE = internal, MSSPACE = 128, MFINALFUNC = numeric_avg, PARALLEL = SAFE);
CREATE AGGREGATE app.my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (SFUNC = ordered_set_transition_multi,
    STYPE = internal, FINALFUNC = rank_final, FINALFUNC_EXTRA, FINALFUNC_MODIFY = READ_WRITE, HYPOTHETICAL);
CREATE AGGREGATE app.my_concat(VARIADIC text[]) (SFUNC = array_cat, STYPE = text[], INITCOND = '{}',
    FINALFUNC = array_to_json, FINALFUNC_MODIFY = SHAREABLE);

-- collations: ICU rules (16+), libc with both categories, the builtin provider (17+)
-- pg16+
CREATE COLLATION app.ruled (provider = icu, locale = 'und', rules = '&a < g');
CREATE COLLATION app.posix_copy (lc_collate = 'POSIX', lc_ctype = 'POSIX');
-- pg17+
CREATE COLLATION app.builtin_utf8 (provider = builtin, locale = 'C.UTF-8');

-- domains: collation, default, a named NOT NULL and several checks, a domain over an array of a domain, a
-- domain over a domain
CREATE DOMAIN app.code AS varchar(10) COLLATE "C" DEFAULT 'X' CONSTRAINT code_nn NOT NULL
    CONSTRAINT code_upper CHECK (VALUE = upper(VALUE)) CONSTRAINT code_len CHECK (length(VALUE) > 0);
CREATE DOMAIN app.codes AS app.code[];
CREATE DOMAIN app.small_posint AS app.posint CONSTRAINT small CHECK (VALUE < 1000);

-- event triggers on sql_drop and table_rewrite, enabled for replicas only and always
CREATE FUNCTION app.on_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER log_drop ON sql_drop EXECUTE PROCEDURE app.on_drop();
ALTER EVENT TRIGGER log_drop ENABLE REPLICA;
CREATE EVENT TRIGGER log_rewrite ON table_rewrite WHEN TAG IN ('ALTER TABLE') EXECUTE FUNCTION app.on_drop();
ALTER EVENT TRIGGER log_rewrite ENABLE ALWAYS;

-- table and column storage: heap and toast parameters together, storage MAIN, statistics 0, compression,
-- n_distinct_inherited, replica identity NOTHING
CREATE TABLE app.tuned (id int, v text, w text) WITH (fillfactor = 60, parallel_workers = 2, toast_tuple_target = 256,
    autovacuum_vacuum_scale_factor = 0.05, vacuum_truncate = false, vacuum_index_cleanup = off);
ALTER TABLE app.tuned SET (autovacuum_analyze_threshold = 1000, toast.autovacuum_vacuum_cost_delay = 5,
    toast.vacuum_truncate = false);
ALTER TABLE app.tuned ALTER COLUMN v SET STORAGE MAIN, ALTER COLUMN w SET STATISTICS 0,
    ALTER COLUMN w SET COMPRESSION pglz, ALTER COLUMN id SET (n_distinct = -1);
ALTER TABLE app.tuned REPLICA IDENTITY NOTHING;
ALTER TABLE app.vehicle ALTER COLUMN wheels SET (n_distinct_inherited = -0.5);

-- sequences: a serial's sequence made free-standing, a sequence owned by a column it is the default of, an
-- identity with its own sequence name and bounds
CREATE TABLE app.numbered (id serial, other_id bigint);
ALTER SEQUENCE app.numbered_id_seq OWNED BY NONE;
CREATE SEQUENCE app.owned_seq AS bigint NO MINVALUE NO MAXVALUE NO CYCLE OWNED BY app.numbered.other_id;
ALTER TABLE app.numbered ALTER COLUMN other_id SET DEFAULT nextval('app.owned_seq');
CREATE TABLE app.identified (id int GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME app.identified_custom_seq
    START WITH 5 MINVALUE 5 MAXVALUE 500 CYCLE), v text);

-- comments with quotes, a backslash, dollars, a tab and newlines
COMMENT ON TABLE app.numbered IS E'it''s a "table"\nover two lines, with a backslash \\ and $$ dollars $$';
COMMENT ON COLUMN app.numbered.id IS E'tab\there';
COMMENT ON FUNCTION app.check_later() IS E'line one\r\nline two';

-- casts: binary-coercible WITHOUT FUNCTION, implicit and explicit
CREATE CAST (app.myint AS int4) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (int4 AS app.myint) WITHOUT FUNCTION;

-- constraints: CHECK NO INHERIT, a self-referencing FK DEFERRABLE INITIALLY IMMEDIATE, ON DELETE SET NULL of a
-- column subset (15+), an FK to a unique index that is not a constraint
CREATE TABLE app.tenant_user (tenant int, id int, PRIMARY KEY (tenant, id));
CREATE TABLE app.limited (id int PRIMARY KEY, parent_id int REFERENCES app.limited DEFERRABLE INITIALLY IMMEDIATE,
    n int CONSTRAINT n_local CHECK (n > 0) NO INHERIT, tenant int, owner_id int);
-- pg15+
ALTER TABLE app.limited ADD CONSTRAINT limited_owner_fk FOREIGN KEY (tenant, owner_id) REFERENCES app.tenant_user
    ON DELETE SET NULL (owner_id) ON UPDATE RESTRICT;
CREATE TABLE app.coded (code text);
CREATE UNIQUE INDEX coded_code ON app.coded (code);
CREATE TABLE app.uses_code (code text REFERENCES app.coded (code));

-- partitioning: an expression key over two columns, a partition with its own column order, list with NULL, a
-- foreign table as a partition, a parent index ON ONLY left invalid with one partition's index attached
CREATE TABLE app.measures (city text COLLATE "C", logdate date, v int) PARTITION BY RANGE ((lower(city)), logdate);
CREATE TABLE app.measures_a PARTITION OF app.measures FOR VALUES FROM (MINVALUE, MINVALUE) TO ('m', MINVALUE);
CREATE TABLE app.measures_later (v int, logdate date, city text COLLATE "C");
ALTER TABLE app.measures ATTACH PARTITION app.measures_later FOR VALUES FROM ('m', MINVALUE) TO (MAXVALUE, MAXVALUE);
CREATE INDEX measures_v ON ONLY app.measures (v);
CREATE INDEX measures_a_v ON app.measures_a (v);
ALTER INDEX app.measures_v ATTACH PARTITION app.measures_a_v;
CREATE TABLE app.by_kind (kind text, n int) PARTITION BY LIST (kind);
CREATE TABLE app.by_kind_local PARTITION OF app.by_kind FOR VALUES IN (NULL, 'x');
CREATE FOREIGN TABLE app.by_kind_remote PARTITION OF app.by_kind FOR VALUES IN ('remote') SERVER remote
    OPTIONS (table_name 'kinds');

-- tables: typed (OF a composite type), multiple inheritance merging a column, a foreign table inheriting a
-- table with a default and a check of its own
CREATE TYPE app.point3 AS (x int, y int, z int);
CREATE TABLE app.points OF app.point3 (x WITH OPTIONS NOT NULL, y WITH OPTIONS DEFAULT 0, PRIMARY KEY (x));
CREATE TABLE app.named (name text, label text);
CREATE TABLE app.amphibian (keel boolean) INHERITS (app.car, app.named);
CREATE FOREIGN TABLE app.remote_trucks (extra int DEFAULT 7 CONSTRAINT extra_positive CHECK (extra > 0))
    INHERITS (app.truck) SERVER remote;

-- indexes: btree deduplication off, gist buffering, an operator class parameter (siglen), NULLS FIRST
CREATE INDEX orders_code_dedup ON app.orders (code NULLS FIRST) WITH (deduplicate_items = off, fillfactor = 70);
CREATE INDEX orders_during_gist ON app.orders USING gist (during) WITH (buffering = on, fillfactor = 80);
CREATE TABLE app.docs (id int, body tsvector);
CREATE INDEX docs_sig ON app.docs USING gist (body tsvector_ops (siglen = 100));

-- functions: defaults with INOUT and OUT, SQL-standard bodies (which depend on the tables they read), a
-- procedure with an OUT parameter, SET FROM CURRENT and a search_path naming a quoted schema, a window function
CREATE FUNCTION app.greet(who text DEFAULT 'world', INOUT n int DEFAULT 1, OUT msg text) LANGUAGE sql
    AS $$ SELECT n, 'hi ' || who $$;
CREATE FUNCTION app.order_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM app.orders; END;
CREATE PROCEDURE app.doubled(IN a int, OUT b int) LANGUAGE sql BEGIN ATOMIC SELECT a * 2; END;
CREATE FUNCTION app.from_current() RETURNS int LANGUAGE sql SET work_mem FROM CURRENT
    SET search_path = app, "Odd ""Schema""" AS $$ SELECT 1 $$;
CREATE FUNCTION app.my_row_number() RETURNS bigint LANGUAGE internal WINDOW IMMUTABLE AS 'window_row_number';

-- operators: a NEGATOR linking back to an existing operator, MERGES
CREATE FUNCTION app.pair_ne(app.pair, app.pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a <> $2.a $$;
CREATE OPERATOR app.<=> (LEFTARG = app.pair, RIGHTARG = app.pair, FUNCTION = app.pair_ne,
    NEGATOR = OPERATOR(app.===), COMMUTATOR = OPERATOR(app.<=>), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR app.=~= (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq, COMMUTATOR = OPERATOR(app.=~=),
    MERGES, HASHES);
CREATE DEFAULT CONVERSION app.latin2conv FOR 'LATIN2' TO 'UTF8' FROM iso8859_to_utf8;

-- rows for the tables above (a partition whose column order differs from its parent's, merged columns)
INSERT INTO app.measures VALUES ('Amsterdam', '2024-01-01', 1), ('Zurich', '2024-01-02', 2);
INSERT INTO app.by_kind_local VALUES (NULL, 1), ('x', 2);
INSERT INTO app.points (x, z) VALUES (1, 3);
INSERT INTO app.amphibian (id, wheels, name, doors, label, keel) VALUES (7, 4, 'duck', 2, 'amph', true);
INSERT INTO app.numbered (other_id) VALUES (DEFAULT), (DEFAULT);
INSERT INTO app.identified (v) VALUES ('a'), ('b');
INSERT INTO app.tuned VALUES (1, repeat('v', 3000), 'w');
INSERT INTO app.limited VALUES (1, NULL, 1, NULL, NULL), (2, 1, 2, NULL, NULL);
INSERT INTO app.coded VALUES ('a'), (NULL);
INSERT INTO app.uses_code VALUES ('a');
INSERT INTO app.docs VALUES (1, to_tsvector('simple', 'a fat cat'));

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

-- walk: columns, identity, constraints, dropped columns
-- dropped columns: two dropped in the middle with columns added after them (one reusing a dropped name), a
-- partitioned parent with a dropped column whose partitions differ (made before the drop and keeping it, made
-- after it, attached with its own order and dropped column), rows on both sides of the drops
CREATE TABLE app.holey (id int PRIMARY KEY, gone text, kept text, alsogone int, tail int DEFAULT 3);
INSERT INTO app.holey VALUES (1, 'x', 'k1', 5, 1);
ALTER TABLE app.holey DROP COLUMN gone;
ALTER TABLE app.holey DROP COLUMN alsogone;
ALTER TABLE app.holey ADD COLUMN added text DEFAULT 'new', ADD COLUMN gone int;
INSERT INTO app.holey (id, kept, tail, added, gone) VALUES (2, 'k2', 2, 'a2', 22);
CREATE INDEX holey_expr ON app.holey ((lower(kept)), (tail * 2));
ALTER INDEX app.holey_expr ALTER COLUMN 2 SET STATISTICS 50;
ALTER TABLE app.holey CLUSTER ON holey_pkey;
ALTER TABLE app.holey SET WITHOUT CLUSTER;
CREATE TABLE app.holey_parts (id int, junk text, at date NOT NULL, v text) PARTITION BY RANGE (at);
CREATE TABLE app.holey_parts_old PARTITION OF app.holey_parts FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
ALTER TABLE app.holey_parts DROP COLUMN junk;
ALTER TABLE app.holey_parts ADD COLUMN extra int;
CREATE TABLE app.holey_parts_new PARTITION OF app.holey_parts FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
CREATE TABLE app.holey_parts_attached (extra int, v text, dropme int, at date NOT NULL, id int);
ALTER TABLE app.holey_parts_attached DROP COLUMN dropme;
ALTER TABLE app.holey_parts ATTACH PARTITION app.holey_parts_attached FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
INSERT INTO app.holey_parts SELECT g, DATE '2020-06-01' + g * 200, 'v' || g, g FROM generate_series(0, 4) g;

-- identity: every sequence option (START, INCREMENT, MINVALUE, MAXVALUE, CACHE, CYCLE) on ALWAYS
-- and BY DEFAULT columns (a smallint one: its sequence is AS smallint), identities added, changed and dropped by ALTER TABLE, an unlogged table's identity,
-- sequences advanced (one past its wrap), and a partitioned table's identity that its partitions share (17+)
CREATE TABLE app.ident_opts (
    a smallint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5 MINVALUE 10 MAXVALUE 30
        CACHE 4 CYCLE),
    b bigint GENERATED BY DEFAULT AS IDENTITY (START WITH -1 INCREMENT BY -3 MAXVALUE -1 NO CYCLE),
    c int NOT NULL, d int GENERATED ALWAYS AS IDENTITY, v text);
ALTER TABLE app.ident_opts ALTER COLUMN c ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 7);
ALTER TABLE app.ident_opts ALTER COLUMN b SET INCREMENT BY -2 SET CACHE 3;
ALTER TABLE app.ident_opts ALTER COLUMN d SET GENERATED BY DEFAULT;
ALTER TABLE app.ident_opts ALTER COLUMN c SET GENERATED ALWAYS RESTART WITH 50;
INSERT INTO app.ident_opts (v) SELECT 'r' || g FROM generate_series(1, 6) g;
ALTER TABLE app.ident_opts ALTER COLUMN d DROP IDENTITY;
CREATE UNLOGGED TABLE app.unlogged_ident (id int GENERATED ALWAYS AS IDENTITY, v text);
INSERT INTO app.unlogged_ident (v) VALUES ('u');
CREATE UNLOGGED TABLE app.was_unlogged (id int PRIMARY KEY);
ALTER TABLE app.was_unlogged SET LOGGED;
CREATE SEQUENCE app.later_unlogged START 3;
SELECT nextval('app.later_unlogged');
-- pg15+
ALTER SEQUENCE app.later_unlogged SET UNLOGGED;
-- pg17+
CREATE TABLE app.ident_parted (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000 INCREMENT BY 10),
    at date NOT NULL) PARTITION BY RANGE (at);
-- pg17+
CREATE TABLE app.ident_parted_a PARTITION OF app.ident_parted FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
-- pg17+
CREATE TABLE app.ident_parted_b (at date NOT NULL, id bigint NOT NULL);
-- pg17+
ALTER TABLE app.ident_parted ATTACH PARTITION app.ident_parted_b FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
-- pg17+
INSERT INTO app.ident_parted (at) VALUES ('2020-02-01'), ('2021-02-01');
-- pg17+
INSERT INTO app.ident_parted_b (at) VALUES ('2021-03-01');

-- generated columns: a stored expression replaced (17+) or dropped, virtual columns with rows (18), foreign keys
-- NOT ENFORCED, made ENFORCED and back (18)
CREATE TABLE app.regen (a int, b int GENERATED ALWAYS AS (a * 2) STORED, c int GENERATED ALWAYS AS (a + 1) STORED);
INSERT INTO app.regen (a) VALUES (1), (2);
ALTER TABLE app.regen ALTER COLUMN c DROP EXPRESSION;
-- pg17+
ALTER TABLE app.regen ALTER COLUMN b SET EXPRESSION AS (a * 3);
-- pg18+
CREATE TABLE app.virt (a int, b text, c int GENERATED ALWAYS AS (a + 1), d text GENERATED ALWAYS AS (upper(b)) VIRTUAL,
    e int GENERATED ALWAYS AS (a * 10) STORED);
-- pg18+
INSERT INTO app.virt (a, b) VALUES (1, 'x'), (2, NULL);
-- pg18+
ALTER TABLE app.virt ALTER COLUMN c SET EXPRESSION AS (a + 2);
-- pg18+
ALTER TABLE app.virt ALTER COLUMN e SET EXPRESSION AS (a * 20);
-- pg18+
CREATE TABLE app.loose_ref (id int, customer_id bigint CONSTRAINT loose_customer_fk REFERENCES app.customer NOT ENFORCED,
    order_id int, other_id int);
-- pg18+
ALTER TABLE app.loose_ref ADD CONSTRAINT loose_order_fk FOREIGN KEY (order_id) REFERENCES app.orders NOT ENFORCED;
-- pg18+
ALTER TABLE app.loose_ref ADD CONSTRAINT loose_other_fk FOREIGN KEY (other_id) REFERENCES app.orders
    DEFERRABLE INITIALLY DEFERRED;
-- pg18+
INSERT INTO app.loose_ref VALUES (1, 999999, 1, 2);
-- pg18+
ALTER TABLE app.loose_ref ALTER CONSTRAINT loose_order_fk ENFORCED;
-- pg18+
ALTER TABLE app.loose_ref ALTER CONSTRAINT loose_other_fk NOT ENFORCED;

-- column privileges on a view, a materialized view and a foreign table; access methods set by ALTER TABLE (15+)
-- and on a partitioned table, inherited by its partitions (17+)
GRANT SELECT (id), UPDATE (name) ON app.customer_names TO torture_bob;
GRANT SELECT (order_id) ON app.tuned_mv TO torture_alice WITH GRANT OPTION;
GRANT SELECT (name), INSERT (id, name) ON app.remote_items TO torture_alice;
CREATE TABLE app.moved (id int, v text);
INSERT INTO app.moved VALUES (1, 'm');
-- pg15+
ALTER TABLE app.moved SET ACCESS METHOD heap2;
-- pg17+
CREATE TABLE app.am_parted (id int) PARTITION BY LIST (id) USING heap2;
-- pg17+
CREATE TABLE app.am_parted_1 PARTITION OF app.am_parted FOR VALUES IN (1);
-- pg17+
CREATE TABLE app.am_parted_2 PARTITION OF app.am_parted FOR VALUES IN (2) USING heap;

-- an inheritance child made on its own and INHERIT-ed later: its columns keep their own order (its own column
-- before the merged ones, which CREATE TABLE ... INHERITS would put first), with a generated column and a check
-- it shares with its parent
CREATE TABLE app.late_parent (a int, b text, g int GENERATED ALWAYS AS (a * 2) STORED, CONSTRAINT late_a CHECK (a > 0));
CREATE TABLE app.late_child (id int PRIMARY KEY, b text, g int GENERATED ALWAYS AS (a * 2) STORED, a int,
    CONSTRAINT late_a CHECK (a > 0));
ALTER TABLE app.late_child INHERIT app.late_parent;
INSERT INTO app.late_child (id, b, a) VALUES (1, 'x', 1);
-- walk: types, ranges, opclasses, login triggers
-- base types with every CREATE TYPE option, their functions LANGUAGE internal over built-in symbols: a varlena,
-- collatable type with a type modifier, binary I/O, an ANALYZE function and a default; a fixed-length type with
-- an element type and subscripting, passed by reference, without binary I/O (so its table copies as text)
CREATE TYPE app.vchar;
CREATE FUNCTION app.vchar_in(cstring, oid, int4) RETURNS app.vchar LANGUAGE internal IMMUTABLE STRICT AS 'varcharin';
CREATE FUNCTION app.vchar_out(app.vchar) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'varcharout';
CREATE FUNCTION app.vchar_recv(internal, oid, int4) RETURNS app.vchar LANGUAGE internal STABLE STRICT AS 'varcharrecv';
CREATE FUNCTION app.vchar_send(app.vchar) RETURNS bytea LANGUAGE internal STABLE STRICT AS 'varcharsend';
CREATE FUNCTION app.vchar_typmod_in(cstring[]) RETURNS int4 LANGUAGE internal IMMUTABLE STRICT AS 'varchartypmodin';
CREATE FUNCTION app.vchar_typmod_out(int4) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'varchartypmodout';
CREATE TYPE app.vchar (INPUT = app.vchar_in, OUTPUT = app.vchar_out, RECEIVE = app.vchar_recv, SEND = app.vchar_send,
    TYPMOD_IN = app.vchar_typmod_in, TYPMOD_OUT = app.vchar_typmod_out,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = main, CATEGORY = 'Z', PREFERRED = true,
    DEFAULT = 'none', DELIMITER = ';', COLLATABLE = true);
CREATE TYPE app.tsv;
CREATE FUNCTION app.tsv_in(cstring) RETURNS app.tsv LANGUAGE internal IMMUTABLE STRICT AS 'tsvectorin';
CREATE FUNCTION app.tsv_out(app.tsv) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'tsvectorout';
CREATE FUNCTION app.tsv_analyze(internal) RETURNS boolean LANGUAGE internal STRICT AS 'ts_typanalyze';
CREATE TYPE app.tsv (INPUT = app.tsv_in, OUTPUT = app.tsv_out, ANALYZE = app.tsv_analyze, INTERNALLENGTH = VARIABLE, STORAGE = extended, CATEGORY = 'U');
CREATE TYPE app.pt;
CREATE FUNCTION app.pt_in(cstring) RETURNS app.pt LANGUAGE internal IMMUTABLE STRICT AS 'point_in';
CREATE FUNCTION app.pt_out(app.pt) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'point_out';
CREATE FUNCTION app.pt_recv(internal) RETURNS app.pt LANGUAGE internal IMMUTABLE STRICT AS 'point_recv';
CREATE FUNCTION app.pt_send(app.pt) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'point_send';
CREATE TYPE app.pt (INPUT = app.pt_in, OUTPUT = app.pt_out, RECEIVE = app.pt_recv, SEND = app.pt_send, INTERNALLENGTH = 16, ELEMENT = float8,
    SUBSCRIPT = raw_array_subscript_handler, ALIGNMENT = double, STORAGE = plain, CATEGORY = 'Y');
-- a function of ours over a base type waits for the full type (a SQL function refuses a shell)
CREATE FUNCTION app.vchar_length(app.vchar) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT length($1::text) $$;
CREATE TABLE app.typed_values (id int PRIMARY KEY, v app.vchar(8) COLLATE "C", p app.pt, vs app.vchar[], t app.tsv);
INSERT INTO app.typed_values VALUES (1, 'short', '(1,2)', '{a;b}', 'a fat:1 cat'),
    (2, NULL, '(3.5,-4)', NULL, NULL);

-- range types: a subtype operator class of our own (descending), a non-default built-in one with a collation of
-- ours, a canonical function (LANGUAGE internal, so it can take the range type while it is a shell), a
-- subtype_diff, a multirange named into another schema
CREATE FUNCTION app.int4_desc_cmp(int4, int4) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT btint4cmp($2, $1) $$;
CREATE OPERATOR CLASS app.int4_desc_ops FOR TYPE int4 USING btree AS OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 =,
    OPERATOR 4 <=, OPERATOR 5 <, FUNCTION 1 app.int4_desc_cmp(int4, int4);
CREATE TYPE app.descrange AS RANGE (SUBTYPE = int4, SUBTYPE_OPCLASS = app.int4_desc_ops);
CREATE TYPE app.patrange AS RANGE (SUBTYPE = text, SUBTYPE_OPCLASS = text_pattern_ops, COLLATION = app.german,
    MULTIRANGE_TYPE_NAME = "Odd ""Schema""".pat_multi);
CREATE TYPE app.intr;
CREATE FUNCTION app.intr_canonical(app.intr) RETURNS app.intr LANGUAGE internal IMMUTABLE STRICT AS 'int4range_canonical';
CREATE TYPE app.intr AS RANGE (SUBTYPE = int4, CANONICAL = app.intr_canonical, SUBTYPE_DIFF = int4range_subdiff);
COMMENT ON TYPE app.intr IS 'discrete';
CREATE TABLE app.ranged (id int, d app.descrange, p app.patrange, i app.intr, pm "Odd ""Schema""".pat_multi);
INSERT INTO app.ranged VALUES (1, '[9,2]', '[a,b)', '[1,3]', '{[a,c)}'), (2, 'empty', NULL, '(1,2)', NULL);
CREATE INDEX ranged_i ON app.ranged USING gist (i);

-- operator classes: a GiST class with a FOR ORDER BY operator and a STORAGE type other than its input type,
-- FOR SEARCH spelled out, loose family members added by ALTER OPERATOR FAMILY (an operator and a support
-- function), a DEFAULT class for a base type of ours, and indexes using them
CREATE OPERATOR FAMILY app.point_fam USING gist;
CREATE OPERATOR CLASS app.point_ops2 FOR TYPE point USING gist FAMILY app.point_fam AS
    OPERATOR 1 << (point, point) FOR SEARCH, OPERATOR 5 >>, OPERATOR 6 ~=, OPERATOR 10 <<|, OPERATOR 11 |>>,
    OPERATOR 15 <-> (point, point) FOR ORDER BY float_ops,
    FUNCTION 1 gist_point_consistent(internal, point, smallint, oid, internal),
    FUNCTION 2 gist_box_union(internal, internal), FUNCTION 3 gist_point_compress(internal),
    FUNCTION 5 gist_box_penalty(internal, internal, internal), FUNCTION 6 gist_box_picksplit(internal, internal),
    FUNCTION 7 gist_box_same(box, box, internal),
    FUNCTION 8 gist_point_distance(internal, point, smallint, oid, internal), FUNCTION 9 gist_point_fetch(internal),
    STORAGE box;
ALTER OPERATOR FAMILY app.point_fam USING gist ADD OPERATOR 28 <@ (point, box), OPERATOR 29 <^ (point, point),
    FUNCTION 11 (point, point) gist_point_sortsupport(internal);
CREATE TABLE app.places (id int, at point);
INSERT INTO app.places SELECT g, point(g % 7, g / 7) FROM generate_series(1, 50) g;
CREATE INDEX places_at ON app.places USING gist (at app.point_ops2);
CREATE FUNCTION app.vchar_lt(app.vchar, app.vchar) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_lt';
CREATE FUNCTION app.vchar_le(app.vchar, app.vchar) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_le';
CREATE FUNCTION app.vchar_eq(app.vchar, app.vchar) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'texteq';
CREATE FUNCTION app.vchar_ge(app.vchar, app.vchar) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_ge';
CREATE FUNCTION app.vchar_gt(app.vchar, app.vchar) RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS 'text_gt';
CREATE FUNCTION app.vchar_cmp(app.vchar, app.vchar) RETURNS int LANGUAGE internal IMMUTABLE STRICT AS 'bttextcmp';
CREATE OPERATOR app.< (LEFTARG = app.vchar, RIGHTARG = app.vchar, FUNCTION = app.vchar_lt);
CREATE OPERATOR app.<= (LEFTARG = app.vchar, RIGHTARG = app.vchar, FUNCTION = app.vchar_le);
CREATE OPERATOR app.= (LEFTARG = app.vchar, RIGHTARG = app.vchar, FUNCTION = app.vchar_eq);
CREATE OPERATOR app.>= (LEFTARG = app.vchar, RIGHTARG = app.vchar, FUNCTION = app.vchar_ge);
CREATE OPERATOR app.> (LEFTARG = app.vchar, RIGHTARG = app.vchar, FUNCTION = app.vchar_gt);
CREATE OPERATOR CLASS app.vchar_ops DEFAULT FOR TYPE app.vchar USING btree AS OPERATOR 1 app.<, OPERATOR 2 app.<=,
    OPERATOR 3 app.=, OPERATOR 4 app.>=, OPERATOR 5 app.>, FUNCTION 1 app.vchar_cmp(app.vchar, app.vchar);
CREATE INDEX typed_values_v ON app.typed_values (v);

-- login event triggers (17+): enabled, disabled and ENABLE ALWAYS; each leaves a mark in the new session, and
-- one refuses a role by name, which the migration must survive (they are created last, in one statement)
-- pg17+
CREATE FUNCTION app.on_login() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    IF session_user = 'torture_refused' THEN
        RAISE EXCEPTION 'torture_refused may not log in';
    END IF;
    PERFORM set_config('torture.login_' || TG_TAG, 'seen', false);
END $$;
-- pg17+
CREATE FUNCTION app.on_login_always() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM set_config('torture.login_always', 'seen', false); END $$;
-- pg17+
CREATE FUNCTION app.on_login_disabled() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM set_config('torture.login_disabled', 'seen', false); END $$;
-- pg17+
CREATE EVENT TRIGGER login_mark ON login EXECUTE FUNCTION app.on_login();
-- pg17+
CREATE EVENT TRIGGER login_always ON login EXECUTE FUNCTION app.on_login_always();
-- pg17+
ALTER EVENT TRIGGER login_always ENABLE ALWAYS;
-- pg17+
CREATE EVENT TRIGGER login_disabled ON login EXECUTE FUNCTION app.on_login_disabled();
-- pg17+
ALTER EVENT TRIGGER login_disabled DISABLE;
-- pg17+
COMMENT ON EVENT TRIGGER login_mark IS 'marks each login';
