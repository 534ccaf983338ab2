package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The torture schema ({@code torture-schema.sql}): every object kind the schema extractor reproduces,
 * loaded statement by statement with the guards for the server's major applied.
 */
final class TortureSchema {
    static final List<String> ROLES = List.of("torture_alice", "torture_bob");
    private static final Pattern ATOMIC = Pattern.compile("\\bBEGIN\\s+ATOMIC\\b");
    private static final Pattern ATOMIC_END = Pattern.compile("\\bEND\\s*;$");
    private static final Pattern GUARD = Pattern.compile("^\\s*-- pg(\\d+)\\+\\s*\n", Pattern.MULTILINE);

    private TortureSchema() {
    }

    /** Creates the roles the schema names, on {@code server}, if missing (roles are cluster-wide). */
    static void createRoles(PostgresServer server) {
        for (String role : ROLES) {
            server.execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                    + Sql.literal(role) + ") THEN CREATE ROLE " + Sql.ident(role) + "; END IF; END $$");
        }
    }

    /** Loads the schema, its data and per-database settings into {@code database} on {@code server}. */
    static void load(PostgresServer server, String database) {
        createRoles(server);
        server.execute(database, statements(server.major()).toArray(String[]::new));
        server.execute(database,
                "ALTER DATABASE " + Sql.ident(database) + " SET work_mem = '8MB'",
                "ALTER DATABASE " + Sql.ident(database) + " SET search_path = app, public",
                "ALTER ROLE torture_bob IN DATABASE " + Sql.ident(database) + " SET statement_timeout = '5min'",
                "COMMENT ON DATABASE " + Sql.ident(database) + " IS 'torture'",
                "REVOKE CONNECT, TEMPORARY ON DATABASE " + Sql.ident(database) + " FROM PUBLIC",
                "GRANT CONNECT ON DATABASE " + Sql.ident(database) + " TO torture_bob");
    }

    /** The statements to run on {@code major}, in order. */
    /**
     * Loads the torture schema into a new database of the pair's source, creates its roles on the target, and
     * migrates it in dump mode; returns the database and the schema warnings the migration gave.
     */
    static Migrated migrate(PgPairExtension pg, String prefix) {
        String db = pg.newDatabase(prefix);
        load(pg.source(), db);
        createRoles(pg.target());
        List<MigrationEvent.SchemaWarning> warnings = new CopyOnWriteArrayList<>();
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).jobs(2)
                .migrationId(pg.migrationId()).listener(MigrationListener.of(e -> {
                    if (e instanceof MigrationEvent.SchemaWarning w) {
                        warnings.add(w);
                    }
                })).build()) {
            org.assertj.core.api.Assertions.assertThat(m.start().await(Duration.ofMinutes(5)))
                    .isEqualTo(MigrationState.COMPLETED);
        }
        return new Migrated(db, List.copyOf(warnings));
    }

    record Migrated(String database, List<MigrationEvent.SchemaWarning> warnings) {
    }

    static List<String> statements(int major) {
        List<String> out = new ArrayList<>();
        for (String statement : split(read("torture-schema.sql"))) {
            Matcher guard = GUARD.matcher(statement);
            int min = 0;
            while (guard.find()) {
                min = Integer.parseInt(guard.group(1));
            }
            if (major >= min && !statement.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                out.add(statement);
            }
        }
        return out;
    }

    /** Whether {@code statement} (ending in ';') opened a BEGIN ATOMIC body that no END has closed yet. */
    private static boolean insideAtomicBody(CharSequence statement) {
        String upper = statement.toString().toUpperCase(java.util.Locale.ROOT);
        return ATOMIC.matcher(upper).find() && !ATOMIC_END.matcher(upper).find();
    }

    static String read(String resource) {
        try (InputStream in = TortureSchema.class.getResourceAsStream("/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits on ';' outside single quotes, double quotes, dollar quotes, parentheses (a rule's several actions)
     * and SQL-standard bodies ({@code BEGIN ATOMIC ... END}).
     */
    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String dollar = null;
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            current.append(c);
            if (dollar != null) {
                if (script.startsWith(dollar, i)) {
                    current.append(dollar, 1, dollar.length());
                    i += dollar.length() - 1;
                    dollar = null;
                }
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '-' && script.startsWith("--", i)) {
                int end = script.indexOf('\n', i);
                end = end < 0 ? script.length() : end;
                current.append(script, i + 1, end);
                i = end - 1;
            } else if (c == '$') {
                Matcher m = Pattern.compile("\\$[A-Za-z_]*\\$").matcher(script).region(i, script.length());
                if (m.lookingAt()) {
                    dollar = m.group();
                    current.append(dollar, 1, dollar.length());
                    i += dollar.length() - 1;
                }
            } else if (c == '(' || c == ')') {
                depth += c == '(' ? 1 : -1;
            } else if (c == ';' && depth == 0 && !insideAtomicBody(current)) {
                out.add(current.substring(0, current.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
