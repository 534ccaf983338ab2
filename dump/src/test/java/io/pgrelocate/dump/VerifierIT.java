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
}
