package io.pgrelocate.dump;

import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The torture schema on the majors pg_dump 15 cannot oracle alone: after a dump migration the target's catalogs
 * describe the same schema as the source's, aspect by aspect (objects, definitions, constraints, indexes,
 * triggers, policies, privileges, comments, settings, large objects).
 */
class CatalogFidelityIT {
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource({"14, 14", "16, 16", "17, 17", "18, 18", "14, 18"})
    void targetCatalogsDescribeTheSourceSchema(int sourceMajor, int targetMajor) {
        PgPairExtension pg = PgPairExtension.pair(sourceMajor, targetMajor);
        try {
            TortureSchema.Migrated migrated = TortureSchema.migrate(pg, "catalog");
            String db = migrated.database();
            List<MigrationEvent.SchemaWarning> warnings = migrated.warnings();

            boolean portable = sourceMajor != targetMajor;
            Map<String, List<String>> source = CatalogSnapshot.of(pg.source(), db, portable);
            Map<String, List<String>> target = CatalogSnapshot.of(pg.target(), db, portable);
            CatalogSnapshot.assertSame(source, target);
            assertThat(source.get("large objects")).as("large objects on the source").hasSize(2);
            assertThat(warnings).as("warnings").isEmpty();
            DataCompare.assertSameData(pg.source(), pg.target(), db);
            VerifyResult verified = Verifier.builder().source(pg.source().endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).databases(db).jobs(2).build().verify();
            assertThat(verified.differences()).as("verify, the oracle without pg_dump: " + verified.toText())
                    .isEmpty();
            if (sourceMajor >= 17) {
                // the login event triggers arrived in their states and fire on a new session of the target
                String marks = "SELECT concat_ws(',', current_setting('torture.login_login', true), "
                        + "current_setting('torture.login_always', true), current_setting('torture.login_disabled', true))";
                assertThat(pg.target().queryValue(db, marks)).as("login marks on the target").isEqualTo("seen,seen")
                        .isEqualTo(pg.source().queryValue(db, marks));
            }
        } finally {
            pg.afterEach(null);
        }
    }
}
