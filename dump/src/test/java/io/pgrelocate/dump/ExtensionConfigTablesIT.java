package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.ConfigTableExtension;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rows of extension configuration tables ({@code pg_extension_config_dump}) come along as pg_dump brings them:
 * the rows the extension's filter selects are added to those CREATE EXTENSION installs on the target, and the values
 * of configuration sequences are set; verify compares those rows.
 */
class ExtensionConfigTablesIT {
    /** The user's rows in the extension's tables, in a schema whose name needs quoting. */
    static final String[] USER_ROWS = {
        "CREATE SCHEMA \"Ext Cfg\"",
        "CREATE EXTENSION " + ConfigTableExtension.NAME + " WITH SCHEMA \"Ext Cfg\"",
        "INSERT INTO \"Ext Cfg\".cfg VALUES (2, 'user', false), (3, 'it''s mine', DEFAULT)",
        "INSERT INTO \"Ext Cfg\".alias VALUES ('two', 2), ('three', 3)",
        "INSERT INTO \"Ext Cfg\".cfg_log (msg) VALUES ('mine')",
        "SELECT setval('\"Ext Cfg\".cfg_seq', 42)",
        "CREATE TABLE app (id int PRIMARY KEY, cfg_id int)",
        "INSERT INTO app SELECT g, 2 FROM generate_series(1, 100) g"};

    // guards issue 13 (pg_dump parity): configuration rows were left behind, the target held only the installed ones
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"15, 15", "14, 18"})
    void addsTheUsersConfigurationRowsToTheInstalledOnesAndSetsConfigurationSequences(int sourceMajor,
                                                                                       int targetMajor) {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        try {
            ConfigTableExtension.install(sourceMajor);
            ConfigTableExtension.install(targetMajor);
            String db = pg.newDatabase("extcfg");
            pg.source().execute(db, USER_ROWS);

            try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).jobs(2)
                    .migrationId(pg.migrationId()).build()) {
                assertThat(m.start().await(Duration.ofMinutes(3))).isEqualTo(MigrationState.COMPLETED);
            }

            assertConfigurationRows(pg.target(), db, "3|it's mine|f");
            DataCompare.assertSameData(pg.source(), pg.target(), db);
            VerifyResult same = verify(pg, db);
            assertThat(same.differences()).as(same.toText()).isEmpty();
            // the app table and the three configuration tables
            assertThat(same.tablesCompared()).isEqualTo(4);

            // a user's row changed behind the migration is a difference; an installed one is not the user's
            pg.target().execute(db, "UPDATE \"Ext Cfg\".cfg SET v = 'changed' WHERE id = 2",
                    "UPDATE \"Ext Cfg\".cfg SET v = 'the extension''s' WHERE id = 1");
            VerifyResult changed = verify(pg, db);
            assertThat(changed.differences()).as(changed.toText()).singleElement()
                    .satisfies(d -> assertThat(d.object()).isEqualTo("\"Ext Cfg\".cfg"))
                    .satisfies(d -> assertThat(d.problem()).isEqualTo(Difference.Problem.CONTENT_DIFFERS));
        } finally {
            pg.afterEach(null);
        }
    }

    /** The installed rows once, the user's rows added, in every configuration table; the sequence where it was. */
    static void assertConfigurationRows(PostgresServer target, String db, String lastCfgRow) {
        assertThat(target.queryColumn(db, "SELECT concat_ws('|', id, v, standard) FROM \"Ext Cfg\".cfg ORDER BY id"))
                .containsExactly("1|std|t", "2|user|f", lastCfgRow);
        assertThat(target.queryColumn(db, "SELECT alias || '|' || cfg_id FROM \"Ext Cfg\".alias ORDER BY alias"))
                .containsExactly("three|3", "two|2");
        assertThat(target.queryColumn(db, "SELECT msg || '|' || standard FROM \"Ext Cfg\".cfg_log ORDER BY msg"))
                .containsExactly("installed|true", "mine|false");
        assertThat(target.queryColumn(db, "SELECT id::text FROM \"Ext Cfg\".builtin")).containsExactly("1");
        assertThat(target.queryValue(db, "SELECT last_value || '/' || is_called FROM \"Ext Cfg\".cfg_seq"))
                .isEqualTo("42/true");
    }

    private static VerifyResult verify(PgPairExtension pg, String db) {
        return Verifier.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .databases(db).build().verify();
    }
}
