package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;
import io.pgrelocate.testkit.ConfigTableExtension;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A continuous migration copies the user's rows of extension configuration tables at the snapshot, as pg_dump would,
 * and streams their later changes like any table's; a configuration table it cannot publish (no key, and no consent
 * to REPLICA IDENTITY FULL) is named in a warning, never left to drift silently. Configuration sequences follow at
 * the cutover.
 */
class ExtensionConfigStreamIT {
    private static final String[] BEFORE_COPY = {
        "CREATE SCHEMA \"Ext Cfg\"",
        "CREATE EXTENSION " + ConfigTableExtension.NAME + " WITH SCHEMA \"Ext Cfg\"",
        "INSERT INTO \"Ext Cfg\".cfg VALUES (2, 'user', false), (3, 'it''s mine', DEFAULT)",
        "INSERT INTO \"Ext Cfg\".alias VALUES ('two', 2), ('three', 3)",
        "INSERT INTO \"Ext Cfg\".cfg_log (msg) VALUES ('mine')",
        "SELECT setval('\"Ext Cfg\".cfg_seq', 42)",
        "CREATE TABLE app (id int PRIMARY KEY, v text)",
        "INSERT INTO app SELECT g, 'v' || g FROM generate_series(1, 100) g"};

    private static final String[] AFTER_COPY = {
        "INSERT INTO \"Ext Cfg\".cfg VALUES (4, 'streamed', false)",
        "UPDATE \"Ext Cfg\".cfg SET v = 'changed' WHERE id = 2",
        "UPDATE \"Ext Cfg\".cfg SET v = 'std, edited' WHERE id = 1",
        "DELETE FROM \"Ext Cfg\".alias WHERE alias = 'three'",
        "DELETE FROM \"Ext Cfg\".cfg WHERE id = 3",
        "INSERT INTO \"Ext Cfg\".alias VALUES ('four', 4)",
        "SELECT nextval('\"Ext Cfg\".cfg_seq') FROM generate_series(1, 3)",
        "INSERT INTO app VALUES (101, 'last')"};

    // guards issue 13: configuration rows copied at the snapshot, later changes streamed or a warning naming the table
    @ParameterizedTest(name = "{0} into {1}, REPLICA IDENTITY FULL allowed: {2}")
    @CsvSource({"15, 15, false", "14, 18, false", "15, 15, true"})
    void copiesConfigurationRowsAndStreamsTheirChanges(int sourceMajor, int targetMajor, boolean identityFull) {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        try {
            ConfigTableExtension.install(sourceMajor);
            ConfigTableExtension.install(targetMajor);
            String db = pg.newDatabase("extcfgstream");
            pg.source().execute(db, BEFORE_COPY);
            List<String> warnings = new CopyOnWriteArrayList<>();
            try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db).jobs(2)
                    .setReplicaIdentityFull(identityFull).listener(warningsInto(warnings)).cutoverVerify(true)
                    .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200)).build()) {
                MigrationHandle handle = m.start();
                assertThat(handle.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                pg.source().execute(db, AFTER_COPY);
                if (identityFull) {
                    // an UPDATE fails on the source unless the migration gave the keyless table an identity
                    pg.source().execute(db, "INSERT INTO \"Ext Cfg\".cfg_log (msg) VALUES ('streamed')",
                            "UPDATE \"Ext Cfg\".cfg_log SET msg = 'mine, edited' WHERE msg = 'mine'");
                }
                await().atMost(Duration.ofMinutes(2)).until(() ->
                        pg.target().queryLong(db, "SELECT count(*) FROM app WHERE id = 101") == 1);
                handle.cutover(Duration.ofMinutes(3));
                assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
            }

            assertStreamed(pg.target(), db, identityFull);
            DataCompare.assertSameData(pg.source(), pg.target(), db);
            VerifyResult verified = Verifier.builder().source(pg.source().endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).databases(db).build().verify();
            assertThat(verified.differences()).as(verified.toText()).isEmpty();
            List<String> notStreamed = warnings.stream().filter(w -> w.contains("are not streamed")).toList();
            if (identityFull) {
                assertThat(notStreamed).isEmpty();
            } else {
                assertThat(notStreamed).singleElement().asString().contains("\"Ext Cfg\".cfg_log")
                        .contains("no primary key or replica identity");
            }
        } finally {
            pg.afterEach(null);
        }
    }

    private static void assertStreamed(PostgresServer target, String db, boolean identityFull) {
        assertThat(target.queryColumn(db, "SELECT concat_ws('|', id, v, standard) FROM \"Ext Cfg\".cfg ORDER BY id"))
                .containsExactly("1|std, edited|t", "2|changed|f", "4|streamed|f");
        assertThat(target.queryColumn(db, "SELECT alias || '|' || cfg_id FROM \"Ext Cfg\".alias ORDER BY alias"))
                .containsExactly("four|4", "two|2");
        List<String> log = identityFull ? List.of("installed|true", "mine, edited|false", "streamed|false")
                : List.of("installed|true", "mine|false");
        assertThat(target.queryColumn(db, "SELECT msg || '|' || standard FROM \"Ext Cfg\".cfg_log ORDER BY msg"))
                .containsExactlyElementsOf(log);
        assertThat(target.queryValue(db, "SELECT last_value || '/' || is_called FROM \"Ext Cfg\".cfg_seq"))
                .isEqualTo("45/true");
    }

    private static MigrationListener warningsInto(List<String> warnings) {
        return new MigrationListener() {
            @Override
            public void onSchemaWarning(MigrationEvent.SchemaWarning event) {
                warnings.add(event.message());
            }
        };
    }
}
