package io.pgrelocate.testkit;

/**
 * A tiny extension with configuration tables ({@code pg_extension_config_dump}), which no contrib extension of the
 * embedded binaries has, to test that a migration treats them as pg_dump does: CREATE EXTENSION makes the tables with
 * the script's rows, and the rows the user added (those the filter selects) must come along. Its relations:
 * <ul>
 *   <li>{@code cfg (id int PRIMARY KEY, v text, standard bool DEFAULT false)}: one installed row
 *       {@code (1, 'std', true)}; filter {@code WHERE NOT standard};</li>
 *   <li>{@code alias (alias text PRIMARY KEY, cfg_id int REFERENCES cfg)}: empty filter (every row is the user's);
 *       its name sorts before {@code cfg}'s, so only foreign-key order adds its rows after those they reference;</li>
 *   <li>{@code cfg_log (msg text, standard bool DEFAULT false)}: no key; one installed row {@code ('installed', true)};
 *       filter {@code WHERE NOT standard};</li>
 *   <li>{@code cfg_seq}: a configuration sequence;</li>
 *   <li>{@code builtin (id int PRIMARY KEY)}: a member table that is not configuration, installed with row 1.</li>
 * </ul>
 * Relocatable: {@code CREATE EXTENSION pgrelocate_config_test WITH SCHEMA s} puts them in {@code s}.
 *
 * <pre>{@code
 * ConfigTableExtension.install(pg.source().major());
 * ConfigTableExtension.install(pg.target().major());
 * pg.source().execute(db, "CREATE EXTENSION " + ConfigTableExtension.NAME);
 * }</pre>
 */
public final class ConfigTableExtension {
    public static final String NAME = "pgrelocate_config_test";

    private static final String SCRIPT = String.join("\n",
            "CREATE TABLE cfg (id int PRIMARY KEY, v text, standard bool DEFAULT false);",
            "INSERT INTO cfg VALUES (1, 'std', true);",
            "SELECT pg_catalog.pg_extension_config_dump('cfg', 'WHERE NOT standard');",
            "CREATE TABLE alias (alias text PRIMARY KEY, cfg_id int NOT NULL REFERENCES cfg (id));",
            "SELECT pg_catalog.pg_extension_config_dump('alias', '');",
            "CREATE TABLE cfg_log (msg text, standard bool DEFAULT false);",
            "INSERT INTO cfg_log VALUES ('installed', true);",
            "SELECT pg_catalog.pg_extension_config_dump('cfg_log', 'WHERE NOT standard');",
            "CREATE SEQUENCE cfg_seq;",
            "SELECT pg_catalog.pg_extension_config_dump('cfg_seq', '');",
            "CREATE TABLE builtin (id int PRIMARY KEY);",
            "INSERT INTO builtin VALUES (1);");

    private ConfigTableExtension() {
    }

    /** Installs the extension's files into {@code major}'s binaries (again, harmlessly, when they are there). */
    public static void install(int major) {
        ExtensionFiles.install(major, NAME, "1.0", "relocatable = true\ncomment = 'pgrelocate test: configuration "
                + "tables'", SCRIPT);
    }
}
