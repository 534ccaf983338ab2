package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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
            String db = pg.newDatabase("catalog");
            TortureSchema.load(pg.source(), db);
            TortureSchema.createRoles(pg.target());
            List<MigrationEvent.SchemaWarning> warnings = new CopyOnWriteArrayList<>();
            try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                    .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).jobs(2)
                    .migrationId(pg.migrationId()).listener(MigrationListener.of(e -> {
                        if (e instanceof MigrationEvent.SchemaWarning w) {
                            warnings.add(w);
                        }
                    })).build()) {
                assertThat(m.start().await(Duration.ofMinutes(5))).isEqualTo(MigrationState.COMPLETED);
            }

            boolean portable = sourceMajor != targetMajor;
            Map<String, List<String>> source = CatalogSnapshot.of(pg.source(), db, portable);
            Map<String, List<String>> target = CatalogSnapshot.of(pg.target(), db, portable);
            CatalogSnapshot.assertSame(source, target);
            assertThat(source.get("large objects")).as("large objects on the source").hasSize(2);
            assertThat(warnings).as("warnings").isEmpty();
            DataCompare.assertSameData(pg.source(), pg.target(), db);
        } finally {
            pg.afterEach(null);
        }
    }
}
