package io.pgrelocate.dump;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The torture schema from 15 into 15: pg_dump --schema-only of the target equals the source's. */
class SchemaFidelityIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(15, 15);

    @Test
    void targetSchemaDumpsExactlyAsTheSourceAndLargeObjectsArrive() throws IOException {
        String db = pg.newDatabase("torture");
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

        String source = PgDumpOracle.schema(pg.source(), db);
        String target = PgDumpOracle.schema(pg.target(), db);
        Path dir = Files.createDirectories(Path.of("target", "schema-fidelity"));
        Files.writeString(dir.resolve("source.sql"), source);
        Files.writeString(dir.resolve("target.sql"), target);
        assertThat(target).as("pg_dump --schema-only of the target (both in target/schema-fidelity)")
                .isEqualTo(source);
        assertThat(warnings).as("nothing in the torture schema is unreproducible").isEmpty();
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        String largeObjects = "SELECT m.oid, pg_get_userbyid(m.lomowner), m.lomacl::text, md5(lo_get(m.oid)), "
                + "obj_description(m.oid, 'pg_largeobject') "
                + "FROM pg_largeobject_metadata m ORDER BY 1";
        assertThat(pg.target().query(db, largeObjects)).as("large objects").hasSize(2)
                .isEqualTo(pg.source().query(db, largeObjects));
    }
}
