package io.pgrelocate.preflight;

import io.pgrelocate.core.Finding;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;
import io.pgrelocate.testkit.PgServers;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static io.pgrelocate.preflight.Reports.noProblems;
import static io.pgrelocate.preflight.Reports.onlyProblem;
import static io.pgrelocate.preflight.Reports.statements;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One source server of its own, started with wal_level=replica and then set wrong in one way at a time
 * (each test sets what it needs; the order only saves restarts).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MisconfiguredSourceIT {
    private static PostgresServer source;
    private static PostgresServer target;

    @BeforeAll
    static void startSource() {
        source = PostgresServer.builder().major(17).setting("wal_level", "replica").start();
        source.createDatabase("app_one");
        source.createDatabase("app_two");
        for (String db : List.of("app_one", "app_two")) {
            source.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        }
        target = PgServers.shared(17, "target");
    }

    @AfterAll
    static void stopSource() {
        if (source != null) {
            source.close();
        }
    }

    private static PreflightReport check() {
        try (Migration m = Migration.builder().source(source.endpoint("postgres"))
                .target(target.endpoint("postgres")).mode(Mode.CONTINUOUS).databases("app_one", "app_two")
                .migrationId("misconfigured").build()) {
            return m.preflight();
        }
    }

    private static void set(String name, String value, boolean restart) {
        if (value.equals(source.queryValue("postgres", "SELECT setting FROM pg_settings WHERE name = '" + name + "'"))) {
            return;
        }
        source.execute("postgres", "ALTER SYSTEM SET " + name + " = '" + value + "'", "SELECT pg_reload_conf()");
        if (restart) {
            source.restart();
        }
    }

    @Test
    @Order(1)
    void walLevelReplicaIsAnErrorFixedByTheStatementAndARestart() {
        set("wal_level", "replica", true);

        Finding f = onlyProblem(check(), FindingCode.WAL_LEVEL_NOT_LOGICAL, Severity.ERROR);
        assertThat(f.message()).contains("wal_level is replica");
        assertThat(f.remediation()).startsWith("ALTER SYSTEM SET wal_level = logical;").contains("restart");

        source.execute("postgres", statements(f));
        source.restart();
        noProblems(check());
    }

    @Test
    @Order(2)
    void tooFewFreeReplicationSlotsIsAnError() {
        set("wal_level", "logical", false);
        set("max_replication_slots", "2", true);
        source.execute("postgres", "SELECT pg_create_physical_replication_slot('someone_elses')");
        try {
            Finding f = onlyProblem(check(), FindingCode.REPLICATION_SLOTS_TOO_FEW, Severity.ERROR);
            assertThat(f.message()).contains("max_replication_slots is 2 with 1 in use")
                    .contains("needs 2 more");
            assertThat(f.remediation()).startsWith("ALTER SYSTEM SET max_replication_slots = 5;").contains("restart");
        } finally {
            source.execute("postgres", "SELECT pg_drop_replication_slot('someone_elses')");
        }
        noProblems(check());
    }

    @Test
    @Order(3)
    void settingsThatEndAStreamAreWarningsGoneOnceTheStatementsRun() {
        set("max_slot_wal_keep_size", "1024", false);
        Finding keep = onlyProblem(check(), FindingCode.SLOT_WAL_KEEP_SIZE_LIMITED, Severity.WARNING);
        assertThat(keep.message()).contains("1024 MB");
        source.execute("postgres", statements(keep));
        noProblems(check());

        set("wal_sender_timeout", "5s", false);
        Finding timeout = onlyProblem(check(), FindingCode.WAL_SENDER_TIMEOUT_SHORT, Severity.WARNING);
        source.execute("postgres", statements(timeout));
        noProblems(check());
    }
}
