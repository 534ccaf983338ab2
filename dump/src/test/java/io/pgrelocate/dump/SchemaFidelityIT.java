package io.pgrelocate.dump;

import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The torture schema from 15 into 15: pg_dump --schema-only of the target equals the source's. */
class SchemaFidelityIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(15, 15);

    @Test
    void targetSchemaDumpsExactlyAsTheSourceAndLargeObjectsArrive() throws IOException {
        TortureSchema.Migrated migrated = TortureSchema.migrate(pg, "torture");
        String db = migrated.database();
        List<MigrationEvent.SchemaWarning> warnings = migrated.warnings();

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
