package io.pgrelocate.preflight;

import io.pgrelocate.core.Finding;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;
import io.pgrelocate.testkit.PgPairExtension;
import io.pgrelocate.testkit.TestRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.pgrelocate.preflight.Reports.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** What preflight tells a target role without superuser (17 into 17). */
class PreflightWithoutSuperuserIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void namesTheUntrustedExtensionAndTheTriggerFallback() {
        String db = pg.newDatabase("managed");
        pg.source().execute(db, "CREATE EXTENSION pgstattuple", "CREATE EXTENSION hstore",
                "CREATE TABLE t (id int PRIMARY KEY)");
        try (TestRole owner = TestRole.create(pg.target(), "owner", "CREATEDB")) {
            pg.target().execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + owner.quoted());
            MigrationBuilder dump = Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(owner.endpoint("postgres")).mode(Mode.DUMP).databases(db).migrationId(pg.migrationId());

            Finding ext = onlyProblem(check(dump), FindingCode.EXTENSION_NEEDS_SUPERUSER, Severity.WARNING);
            assertThat(ext.subject()).as("hstore is trusted, so only pgstattuple").isEqualTo("pgstattuple");
            assertThat(ext.remediation()).contains("CREATE EXTENSION \"pgstattuple\";");

            PreflightReport continuous = check(dump.mode(Mode.CONTINUOUS));
            assertThat(continuous.withCode(FindingCode.TRIGGERS_NOT_SUPPRESSIBLE.name())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("dropping the foreign keys")
                            .contains("puts them back at cutover, stop or failure"))
                    .satisfies(f -> assertThat(f.remediation()).isEqualTo(
                            "GRANT SET ON PARAMETER session_replication_role TO " + owner.quoted() + ";"));
        }
    }

    private static PreflightReport check(MigrationBuilder builder) {
        try (Migration m = builder.build()) {
            return m.preflight();
        }
    }
}
