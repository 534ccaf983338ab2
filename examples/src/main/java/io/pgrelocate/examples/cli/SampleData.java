package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.PostgresServer;

/** The demo's sample databases: a small shop and an analytics store, plus one the demo leaves behind. */
final class SampleData {
    static final String SHOP = "shop";
    static final String ANALYTICS = "analytics";
    static final String SCRATCH = "scratch";

    private SampleData() {
    }

    static void load(PostgresServer source) {
        for (String db : new String[] {SHOP, ANALYTICS, SCRATCH}) {
            source.createDatabase(db);
        }
        source.execute(SHOP,
                "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled')",
                "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')",
                "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, "
                        + "email email UNIQUE, created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE products (id serial PRIMARY KEY, sku varchar(20) NOT NULL UNIQUE, title text NOT NULL, "
                        + "price numeric(10,2) NOT NULL CHECK (price >= 0), attributes jsonb)",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers, "
                        + "status order_status NOT NULL DEFAULT 'new', placed_at timestamptz NOT NULL, note text)",
                "CREATE TABLE order_items (order_id bigint REFERENCES orders ON DELETE CASCADE, "
                        + "product_id int REFERENCES products, quantity int NOT NULL, "
                        + "line_total numeric(12,2) GENERATED ALWAYS AS (quantity * 9.99) STORED, "
                        + "PRIMARY KEY (order_id, product_id))",
                "CREATE INDEX orders_placed ON orders (placed_at)",
                "CREATE VIEW order_totals AS SELECT o.id, sum(i.line_total) AS total FROM orders o "
                        + "JOIN order_items i ON i.order_id = o.id GROUP BY o.id",
                "INSERT INTO customers (name, email, created_at) SELECT 'Customer ' || g, 'c' || g || '@example.com', "
                        + "timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 20000) g",
                "INSERT INTO products (sku, title, price, attributes) SELECT 'SKU-' || g, 'Product ' || g, "
                        + "(g % 500) + 0.99, jsonb_build_object('colour', (ARRAY['red','green','blue'])[1 + g % 3], "
                        + "'weight', g % 17) FROM generate_series(1, 2000) g",
                "INSERT INTO orders (customer_id, status, placed_at, note) SELECT 1 + g % 20000, "
                        + "(ARRAY['new','paid','shipped','cancelled']::order_status[])[1 + g % 4], "
                        + "timestamptz '2024-06-01' + g * interval '17 seconds', CASE WHEN g % 10 = 0 THEN "
                        + "'gift wrap, \"fragile\" \\ ünïcode ✓' END FROM generate_series(1, 100000) g",
                "INSERT INTO order_items (order_id, product_id, quantity) SELECT o, 1 + (o * 7 + k) % 2000, 1 + k "
                        + "FROM generate_series(1, 100000) o, generate_series(0, 2) k",
                "ANALYZE");
        source.execute(ANALYTICS,
                "CREATE TABLE page_views (id bigserial PRIMARY KEY, url text NOT NULL, viewed_at timestamptz NOT NULL, "
                        + "visitor uuid NOT NULL, props jsonb, tags text[])",
                "INSERT INTO page_views (url, viewed_at, visitor, props, tags) SELECT '/page/' || (g % 997), "
                        + "timestamptz '2025-01-01' + g * interval '3 seconds', md5(g::text)::uuid, "
                        + "jsonb_build_object('ref', 'campaign-' || (g % 13)), ARRAY['t' || (g % 5), NULL] "
                        + "FROM generate_series(1, 200000) g",
                "CREATE INDEX page_views_viewed_at ON page_views (viewed_at)",
                "ANALYZE");
        source.execute(SCRATCH, "CREATE TABLE junk AS SELECT generate_series(1, 1000) AS n");
    }
}
