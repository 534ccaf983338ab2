package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.TestRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A dump as on a managed service: nobody is superuser on either side (17 into 17). */
class DumpWithoutSuperuserIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void copiesEverythingAReadOnlySourceRoleSeesAndWarnsAboutWhatTheTargetRoleMayNotCreate() {
        String db = pg.newDatabase("managed");
        pg.source().execute(db,
                "CREATE EXTENSION hstore",
                "CREATE EXTENSION pgstattuple",
                "CREATE SCHEMA app",
                "CREATE TABLE app.customer (id serial PRIMARY KEY, name text NOT NULL, attrs hstore)",
                "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                        + "customer int NOT NULL REFERENCES app.customer, total numeric(12,2), note text)",
                "CREATE SEQUENCE app.ticket",
                "CREATE VIEW app.big_orders AS SELECT * FROM orders WHERE total > 100",
                "CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.note := 'stamped'; "
                        + "RETURN NEW; END$$",
                "CREATE TRIGGER stamp BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION app.stamp()",
                "INSERT INTO app.customer (name, attrs) SELECT 'c' || g, hstore('k', g::text) FROM generate_series(1, 200) g",
                "INSERT INTO orders (customer, total, note) SELECT 1 + g % 200, g * 1.5, 'n' || g "
                        + "FROM generate_series(1, 3000) g",
                "SELECT nextval('app.ticket') FROM generate_series(1, 17)");
        List<MigrationEvent.SchemaWarning> warnings = new CopyOnWriteArrayList<>();
        try (TestRole reader = TestRole.create(pg.source(), "reader");
             TestRole owner = TestRole.create(pg.target(), "owner", "CREATEDB")) {
            // exactly what a read-only source role is given on a managed service, nothing more
            pg.source().execute(db,
                    "GRANT USAGE ON SCHEMA app TO " + reader.quoted(),
                    "GRANT SELECT ON ALL TABLES IN SCHEMA app, public TO " + reader.quoted(),
                    "GRANT SELECT ON ALL SEQUENCES IN SCHEMA app, public TO " + reader.quoted());
            // the state schema lives in the target's maintenance database
            pg.target().execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + owner.quoted());
            assertThat(pg.source().queryValue("postgres", "SELECT rolsuper::text FROM pg_roles WHERE rolname = '"
                    + reader.name() + "'")).isEqualTo("false");

            MigrationState end;
            try (Migration m = Migration.builder().source(reader.endpoint("postgres")).target(owner.endpoint("postgres"))
                    .mode(Mode.DUMP).databases(db).migrationId(pg.migrationId()).acceptWarnings(true)
                    .listener(new MigrationListener() {
                        @Override
                        public void onSchemaWarning(MigrationEvent.SchemaWarning e) {
                            warnings.add(e);
                        }
                    }).build()) {
                end = m.start().await(Duration.ofMinutes(3));
            }

            assertThat(end).isEqualTo(MigrationState.COMPLETED);
            DataCompare.assertSameData(pg.source(), pg.target(), db);
            assertThat(DataCompare.sequences(pg.target(), db)).isEqualTo(DataCompare.sequences(pg.source(), db));
            assertThat(pg.target().queryValue(db, "SELECT count(*) FROM app.big_orders"))
                    .isEqualTo(pg.source().queryValue(db, "SELECT count(*) FROM app.big_orders"));
            assertThat(pg.target().queryValue(db, "SELECT attrs -> 'k' FROM app.customer WHERE id = 7")).isEqualTo("7");
            assertThat(pg.target().queryValue(db, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '"
                    + db + "'")).as("the database stays with the role that created it").isEqualTo(owner.name());
            // an untrusted extension needs superuser: left out, and said so by name
            assertThat(pg.target().queryValue(db, "SELECT count(*) FROM pg_extension WHERE extname = 'pgstattuple'"))
                    .isEqualTo("0");
            assertThat(warnings).extracting(MigrationEvent.SchemaWarning::message)
                    .anySatisfy(w -> assertThat(w).contains("extension pgstattuple").contains(owner.name()))
                    .anySatisfy(w -> assertThat(w).contains("ownership left with " + owner.name()));
            // the trigger came along and works for the role that owns the table
            pg.target().execute(db, "UPDATE orders SET total = total WHERE id = 1");
            assertThat(pg.target().queryValue(db, "SELECT note FROM orders WHERE id = 1")).isEqualTo("stamped");
        }
    }
}
