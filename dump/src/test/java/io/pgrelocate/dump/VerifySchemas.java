package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.SqlRunner;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A source schema with one of most kinds of object verify compares, and the dump that copies it. */
final class VerifySchemas {
    private VerifySchemas() {
    }

    static void manyKinds(SqlRunner db, String name) {
        db.execute(name,
                "CREATE SCHEMA app",
                "COMMENT ON SCHEMA app IS 'the application'",
                "CREATE TYPE app.status AS ENUM ('new', 'paid', 'shipped')",
                "CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%')",
                "CREATE TYPE app.money_pair AS (amount numeric(12,2), currency char(3))",
                "CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi)",
                "CREATE TABLE app.customer (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                        + "mail app.email UNIQUE, name text COLLATE \"C\" NOT NULL DEFAULT 'anon', "
                        + "tags text[] DEFAULT '{}')",
                "COMMENT ON COLUMN app.customer.name IS 'display name'",
                "CREATE TABLE app.orders (id serial PRIMARY KEY, customer_id bigint NOT NULL "
                        + "REFERENCES app.customer ON DELETE CASCADE, status app.status NOT NULL DEFAULT 'new', "
                        + "total numeric(12,2) CHECK (total >= 0), vat numeric GENERATED ALWAYS AS (total * 0.2) STORED, "
                        + "placed timestamptz NOT NULL DEFAULT now(), price app.money_pair, span app.floatrange) "
                        + "WITH (fillfactor = 90)",
                "CREATE INDEX orders_placed ON app.orders (placed DESC) WHERE status <> 'shipped'",
                "CREATE TABLE app.events (at date NOT NULL, what text) PARTITION BY RANGE (at)",
                "CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE app.events_rest PARTITION OF app.events DEFAULT",
                "CREATE UNLOGGED TABLE app.scratch (k text PRIMARY KEY, v jsonb)",
                "CREATE SEQUENCE app.ticket START 100 INCREMENT 7 CACHE 3",
                "CREATE FUNCTION app.order_total(c bigint) RETURNS numeric LANGUAGE sql STABLE "
                        + "AS $$ SELECT coalesce(sum(total), 0) FROM app.orders WHERE customer_id = c $$",
                "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "NEW.placed := now(); RETURN NEW; END $$",
                "CREATE PROCEDURE app.ship(o int) LANGUAGE sql AS $$ UPDATE app.orders SET status = 'shipped' "
                        + "WHERE id = o $$",
                "CREATE TRIGGER orders_touch BEFORE UPDATE OF total ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch()",
                "CREATE VIEW app.open_orders AS SELECT o.id, c.mail FROM app.orders o JOIN app.customer c "
                        + "ON c.id = o.customer_id WHERE o.status <> 'shipped'",
                "CREATE MATERIALIZED VIEW app.revenue AS SELECT customer_id, sum(total) AS total FROM app.orders "
                        + "GROUP BY customer_id",
                "CREATE RULE scratch_no_delete AS ON DELETE TO app.scratch DO INSTEAD NOTHING",
                "COMMENT ON TABLE app.orders IS 'one row per order'",
                "INSERT INTO app.customer (mail, name) SELECT 'c' || g || '@example.org', 'customer ' || g "
                        + "FROM generate_series(1, 200) g",
                "INSERT INTO app.orders (customer_id, status, total, placed, price, span) SELECT 1 + g % 200, "
                        + "(ARRAY['new', 'paid', 'shipped'])[1 + g % 3]::app.status, g * 1.25, "
                        + "'2024-06-01 12:00+02'::timestamptz + g * interval '1 hour', ROW(g, 'EUR')::app.money_pair, "
                        + "app.floatrange(g, g + 0.5) FROM generate_series(1, 3000) g",
                "INSERT INTO app.events SELECT '2024-01-01'::date + g, 'event ' || g FROM generate_series(0, 499) g",
                "INSERT INTO app.scratch VALUES ('a', '{\"x\": 1.50}'), ('b', NULL)",
                "REFRESH MATERIALIZED VIEW app.revenue",
                "SELECT nextval('app.ticket'), nextval('app.ticket')");
    }

    /** Dump-migrates {@code databases} from the pair's source to its target and checks it completed. */
    static void migrate(PgPairExtension pg, List<String> databases) {
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(databases).jobs(2)
                .migrationId(pg.migrationId()).build()) {
            assertThat(m.start().await(Duration.ofMinutes(5))).isEqualTo(MigrationState.COMPLETED);
        }
    }
}
