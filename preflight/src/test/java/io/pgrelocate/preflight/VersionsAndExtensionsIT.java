package io.pgrelocate.preflight;

import io.pgrelocate.core.Finding;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;
import io.pgrelocate.testkit.PgServers;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.pgrelocate.preflight.Reports.noProblems;
import static io.pgrelocate.preflight.Reports.onlyProblem;
import static io.pgrelocate.preflight.Reports.statements;
import static org.assertj.core.api.Assertions.assertThat;

/** A PostgreSQL 14 server against 17: first as the (too old) target, then as a source with an extension 17 lacks. */
class VersionsAndExtensionsIT {
    private static final String DB = "pf_versions";

    private final PostgresServer v14 = PgServers.shared(14, "source");
    private final PostgresServer v17 = PgServers.shared(17, "target");

    @AfterEach
    void dropDatabases() {
        v14.dropDatabase(DB);
        v17.dropDatabase(DB);
    }

    private static PreflightReport check(PostgresServer source, PostgresServer target) {
        try (Migration m = Migration.builder().source(source.endpoint("postgres")).target(target.endpoint("postgres"))
                .mode(Mode.CONTINUOUS).databases(DB).migrationId("versions").build()) {
            return m.preflight();
        }
    }

    @Test
    void aSourceNewerThanTheTargetIsAnError() {
        v17.createDatabase(DB);
        v17.execute(DB, "CREATE TABLE t (id int PRIMARY KEY)");

        Finding f = onlyProblem(check(v17, v14), FindingCode.SOURCE_NEWER_THAN_TARGET, Severity.ERROR);
        assertThat(f.message()).contains("PostgreSQL 17, newer than the target's 14");
    }

    @Test
    void anExtensionTheTargetCannotInstallIsAnErrorUntilDropped() {
        v14.createDatabase(DB);
        v14.execute(DB, "CREATE TABLE t (id int PRIMARY KEY)", "CREATE EXTENSION adminpack");

        Finding f = onlyProblem(check(v14, v17), FindingCode.EXTENSION_UNAVAILABLE, Severity.ERROR);
        assertThat(f.subject()).isEqualTo("adminpack");
        assertThat(f.message()).contains("in " + DB);
        assertThat(f.remediation()).contains("DROP EXTENSION \"adminpack\";");

        v14.execute(DB, statements(f));
        noProblems(check(v14, v17));
    }
}
