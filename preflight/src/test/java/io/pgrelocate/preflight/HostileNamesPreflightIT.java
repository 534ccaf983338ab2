package io.pgrelocate.preflight;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.Finding;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.HostileNames;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards issue 12: the SQL preflight prints is run by users, so every name in it is quoted, and a name with a
 * line break in a comment line cannot turn the rest of the line into SQL. A source role and database named
 * to inject, a hostile schema it may not read: the printed fixes, run as printed, clear every finding and
 * create nothing else.
 */
class HostileNamesPreflightIT {
    private static final String LOGIN = "Lo\"g|in;--'\\\nCREATE ROLE pwned;";
    private static final String PASSWORD = "pw-hostile-1";
    private static final Set<String> FIXABLE = Set.of(FindingCode.CONNECT_DENIED.name(),
            FindingCode.ROLE_NOT_REPLICATION.name(), FindingCode.ROLE_MISSING_SELECT.name(),
            FindingCode.ROLE_CANNOT_PUBLISH.name());

    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @AfterAll
    static void dropRoles() {
        HostileNames.dropRoles(pg.source());
        HostileNames.dropRoles(pg.target());
    }

    @Test
    void everyPrintedFixRunsAsPrintedAndClearsItsFindingWithoutRunningAnythingElse() {
        HostileNames.createRoles(pg.source());
        HostileNames.createRoles(pg.target());
        String db = pg.newDatabase("Db\nCREATE ROLE pwned;--\"|");
        HostileNames.schema(pg.source(), db);
        pg.source().execute("postgres", "CREATE ROLE " + Sql.ident(LOGIN) + " LOGIN PASSWORD " + Sql.literal(PASSWORD),
                "REVOKE CONNECT ON DATABASE " + Sql.ident(db) + " FROM PUBLIC");
        try {
            Endpoint source = Endpoint.of(pg.source().host(), pg.source().port(), "postgres", LOGIN, PASSWORD)
                    .withoutSsl();
            List<String> printed = new ArrayList<>();
            List<Finding> left = List.of();
            for (int round = 0; round < 4; round++) {
                left = check(source, db).findings().stream()
                        .filter(f -> f.severity() == Severity.ERROR && FIXABLE.contains(f.code())).toList();
                if (left.isEmpty()) {
                    break;
                }
                for (Finding f : left) {
                    printed.add(f.remediation());
                    // as a user would: the whole printed text, comments included, as one script
                    pg.source().execute(db, f.remediation());
                }
            }
            assertThat(left).as("findings the printed fixes did not clear").isEmpty();
            assertThat(String.join("\n", printed)).as("the fixes named the hostile names")
                    .contains(Sql.ident(LOGIN), "GRANT CONNECT ON DATABASE " + Sql.ident(db), "OWNER TO");
            assertThat(HostileNames.canaryExists(pg.source())).as("role created by printed text").isFalse();
            assertThat(HostileNames.canaryExists(pg.target())).isFalse();
        } finally {
            dropLogin(pg.source(), db);
        }
    }

    private PreflightReport check(Endpoint source, String db) {
        try (Migration m = Migration.builder().source(source).target(pg.target().endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(db).migrationId(pg.migrationId()).build()) {
            return m.preflight();
        }
    }

    private static void dropLogin(PostgresServer server, String db) {
        String role = Sql.ident(LOGIN);
        server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = "
                + Sql.literal(LOGIN));
        for (String d : List.of("postgres", db)) {
            server.execute(d, "REASSIGN OWNED BY " + role + " TO postgres", "DROP OWNED BY " + role);
        }
        server.execute("postgres", "DROP ROLE " + role);
    }
}
