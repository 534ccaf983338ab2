package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.HostileNames;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Guards the once-flaky empty table ACL of HostileNamesIT: a grant made as another grantor than the owner needs
 * that grantor's USAGE on the object's schema, so schemas' privileges must be replayed a wave before the grants
 * made in them (in one parallel wave the grant was refused now and then, and the table's whole ACL left out).
 */
class PrivilegeWavesIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(15, 15);

    @AfterAll
    static void dropRoles() {
        HostileNames.dropRoles(pg.source());
    }

    @Test
    void schemaPrivilegesComeAWaveBeforeGrantsMadeAsAnotherGrantorInThatSchema() throws SQLException {
        HostileNames.createRoles(pg.source());
        String db = pg.newDatabase("waves");
        HostileNames.schema(pg.source(), db);
        String pipe = Sql.ident(HostileNames.PIPE);

        List<List<DdlStatement>> waves;
        try (Connection c = pg.source().connect(db)) {
            Set<String> roles = new HashSet<>(pg.source().queryColumn("postgres", "SELECT rolname FROM pg_roles"));
            waves = SchemaExtractor.extract(c, new ExtractOptions(Set.of(), 150000, roles, Map.of(), Set.of()))
                    .postData();
        }

        int schemaWave = wave(waves, s -> s.object().startsWith("privileges on schema ") && s.sql().contains(pipe));
        int grantorWave = wave(waves, s -> s.object().startsWith("privileges on table ")
                && s.sql().contains("SET ROLE " + pipe));
        assertThat(schemaWave).as("wave granting USAGE on the schema to the grantor").isNotNegative();
        assertThat(grantorWave).as("wave of the grant made as that grantor").isGreaterThan(schemaWave);
    }

    @Test
    void aGrantMadeAsAGrantorWithoutUsageOnTheSchemaIsRefused() {
        HostileNames.createRoles(pg.source());
        String db = pg.newDatabase("usage");
        String pipe = Sql.ident(HostileNames.PIPE);
        pg.source().execute(db, "CREATE SCHEMA s", "CREATE TABLE s.t (x int)",
                "GRANT SELECT ON s.t TO " + pipe + " WITH GRANT OPTION");

        assertThatThrownBy(() -> {
            try (Connection c = pg.source().connect(db); Statement st = c.createStatement()) {
                st.execute("SET ROLE " + pipe + ";\nGRANT SELECT ON s.t TO " + Sql.ident(HostileNames.QUOTER));
            }
        }).as("why the order matters").isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }

    private static int wave(List<List<DdlStatement>> waves, Predicate<DdlStatement> which) {
        for (int i = 0; i < waves.size(); i++) {
            if (waves.get(i).stream().anyMatch(which)) {
                return i;
            }
        }
        return -1;
    }
}
