package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.HostileNames;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guards issue 12: catalog text never becomes SQL. Hostile names (quotes, |, ;, --, backslashes, newlines, unicode,
 * 63-byte names, reserved words, upper case, leading digits) for every kind of object and role, through dump,
 * continuous with changes streamed, status and verify: everything ends identical and the role the injected text
 * would create never exists.
 */
class HostileNamesIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    /** What the run left out: a grant refused for want of USAGE on its schema came out only here (and as an empty ACL). */
    private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void roles() {
        HostileNames.createRoles(pg.source());
        HostileNames.createRoles(pg.target());
        assertThat(HostileNames.canaryExists(pg.target())).as("canary role before the run").isFalse();
    }

    @AfterAll
    static void dropRoles() {
        HostileNames.dropRoles(pg.source());
        HostileNames.dropRoles(pg.target());
    }

    @Test
    void dumpCopiesHostileNamesAndPrivilegesExactlyAndRunsNoForeignStatement() {
        String db = pg.newDatabase("Db\"|;--\\ ü");
        HostileNames.schema(pg.source(), db);

        try (Migration m = builder(db, Mode.DUMP).build()) {
            assertThat(m.start().await(Duration.ofMinutes(3))).isEqualTo(MigrationState.COMPLETED);
        }

        assertIdentical(db);
    }

    @Test
    void continuousStreamsHostileNamesReportsStatusAndCutsOverIdentical() {
        String db = pg.newDatabase("Db\"|;--\\ ü");
        HostileNames.schema(pg.source(), db);
        String id = pg.migrationId();
        try (Migration m = builder(db, Mode.CONTINUOUS).migrationId(id).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            HostileNames.changes(pg.source(), db);
            await().atMost(Duration.ofMinutes(1)).until(() -> pg.target().queryLong(db,
                    "SELECT count(*) FROM " + io.pgrelocate.core.spi.Sql.qualified(HostileNames.SCHEMA,
                            HostileNames.TABLE) + " WHERE " + io.pgrelocate.core.spi.Sql.ident(HostileNames.KEY)
                            + " = 20") == 1);
            try (MigrationControl control = MigrationControl.connect(pg.target().endpoint("postgres"))) {
                MigrationStatus status = control.status(id).orElseThrow();
                assertThat(status.database(db)).as("status names the hostile database").isPresent()
                        .get().satisfies(d -> assertThat(d.phase()).isEqualTo(Phase.STREAMING));
            }
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }

        assertIdentical(db);
    }

    private void assertIdentical(String db) {
        assertThat(HostileNames.canaryExists(pg.target())).as("role created by injected text").isFalse();
        assertThat(warnings).as("schema warnings (nothing is left out)").isEmpty();
        VerifyResult result = Verifier.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).databases(db).build().verify();
        assertThat(result.differences()).as(result.toText()).isEmpty();
        assertThat(result.objectsCompared()).as("hostile objects compared").isGreaterThan(20);
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(HostileNames.defaultPrivileges(pg.target(), db)).as("default privileges")
                .isEqualTo(HostileNames.defaultPrivileges(pg.source(), db)).hasSize(4);
        // the grants on the hostile table, grantor included, as the server prints them
        String acl = "SELECT relacl::text, (SELECT array_agg(attacl::text ORDER BY attnum) FROM pg_attribute "
                + "WHERE attrelid = c.oid AND attacl IS NOT NULL)::text FROM pg_class c WHERE relname = "
                + io.pgrelocate.core.spi.Sql.literal(HostileNames.TABLE);
        List<List<Object>> sourceAcl = pg.source().query(db, acl);
        assertThat(pg.target().query(db, acl)).isEqualTo(sourceAcl);
        assertThat(sourceAcl.get(0).get(0).toString()).contains("x|y");
    }

    private io.pgrelocate.core.MigrationBuilder builder(String db, Mode mode) {
        return Migration.builder().source(pg.source().endpoint("postgres")).target(pg.target().endpoint("postgres"))
                .mode(mode).databases(db).migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200))
                .listener(new io.pgrelocate.core.MigrationListener() {
                    @Override
                    public void onSchemaWarning(io.pgrelocate.core.MigrationEvent.SchemaWarning e) {
                        warnings.add(e.message());
                    }
                });
    }
}
