package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.dump.internal.schema.InitPrivilegeExtractor;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A major-version upgrade by dump: source 14 into target 17. */
class DumpAcrossVersionsIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 17);

    @Test
    void copiesEveryTypeAndColumnPropertyFrom14Into17() {
        String types = pg.newDatabase("types");
        String props = pg.newDatabase("props");
        SampleSchemas.everyType(pg.source(), types);
        SampleSchemas.everyColumnProperty(pg.source(), props);

        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(types, props)
                .migrationId(pg.migrationId()).build()) {
            assertThat(m.start().await(Duration.ofMinutes(5))).isEqualTo(MigrationState.COMPLETED);
        }

        DataCompare.assertSameData(pg.source(), pg.target(), types);
        DataCompare.assertSameData(pg.source(), pg.target(), props);
        assertThat(pg.target().queryValue(props, "SELECT server_version_num FROM (SELECT "
                + "current_setting('server_version_num')::int / 10000 AS server_version_num) v")).isEqualTo("17");
        // the identity keeps counting where the source left off
        pg.target().execute(props, "INSERT INTO sales.customer (name) VALUES ('next')");
        assertThat(pg.target().queryValue(props, "SELECT max(id) FROM sales.customer")).isEqualTo("5010");
    }

    @Test
    void aFreshDatabaseHasNoChangedPrivilegesOnBuiltInObjectsOnEitherMajor() {
        // information_schema's grants are made after initdb records pg_init_privs: they are not changes
        String fresh = pg.newDatabase("fresh");
        pg.target().createDatabase(fresh);
        String deltas = "SELECT count(*) FROM (" + InitPrivilegeExtractor.SQL + ") d";
        assertThat(pg.source().queryValue(fresh, deltas)).isEqualTo("0");
        assertThat(pg.target().queryValue(fresh, deltas)).isEqualTo("0");
    }
}
