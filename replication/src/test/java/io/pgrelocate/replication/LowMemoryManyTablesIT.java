package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A 1,000-table schema through both modes with a heap far below the 256 MB goal: runs in the {@code low-memory}
 * failsafe execution (-Xmx64m), so a schema, a publication or a per-table state held whole beyond what a small
 * heap takes would fail with OutOfMemoryError. Servers at default settings (max_locks_per_transaction 64).
 */
class LowMemoryManyTablesIT {
    private static final int TABLES = 1000;
    private static final int ROWS = 10;
    /** Every row of every public table counted in one query: query_to_xml runs a count per table. */
    private static final String ROW_COUNT = "SELECT sum((xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c "
            + "FROM ' || c.oid::regclass, false, true, '')))[1]::text::bigint) FROM pg_class c "
            + "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'";
    private static final String INDEXES = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            + "WHERE c.relnamespace = 'public'::regnamespace AND i.indisvalid";
    private static PostgresServer source;
    private static PostgresServer target;

    @BeforeAll
    static void servers() {
        // -Dit.test also runs it in the default execution, with a normal heap, where it proves nothing
        assumeTrue(Runtime.getRuntime().maxMemory() < 128L << 20, "runs in the low-memory execution only");
        source = PostgresServer.builder().major(16).start();
        target = PostgresServer.builder().major(17).start();
        source.createDatabase("many");
        for (int from = 1; from <= TABLES; from += 50) {
            StringBuilder sql = new StringBuilder();
            for (int i = from; i < from + 50; i++) {
                sql.append("CREATE TABLE public.t").append(i).append(" (id integer PRIMARY KEY, n integer NOT NULL, ")
                        .append("v text); CREATE INDEX t").append(i).append("_n ON public.t").append(i)
                        .append(" (n); INSERT INTO public.t").append(i).append(" SELECT g, g * ").append(i)
                        .append(", md5(g::text) FROM generate_series(1, ").append(ROWS).append(") g;");
            }
            source.execute("many", sql.toString());
        }
    }

    @AfterAll
    static void stop() {
        for (PostgresServer s : new PostgresServer[] {source, target}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @BeforeEach
    void emptyTarget() {
        target.dropDatabase("many");
        target.execute("postgres", "DROP SCHEMA IF EXISTS pgrelocate CASCADE");
    }

    // guards a bounded heap for a schema of many tables in a dump
    @Test
    void aDumpOfAThousandTablesFitsASmallHeap() {
        try (Migration m = builder(Mode.DUMP, "dump").build()) {
            assertThat(m.start().await(Duration.ofMinutes(10))).isEqualTo(MigrationState.COMPLETED);
        }
        assertThat(target.queryLong("many", INDEXES)).as("primary keys and indexes").isEqualTo(2L * TABLES);
        assertThat(target.queryLong("many", ROW_COUNT)).isEqualTo((long) TABLES * ROWS);
    }

    // guards a bounded heap for a publication, a slot and a stream over many tables
    @Test
    void aContinuousMigrationOfAThousandTablesFitsASmallHeap() {
        try (Migration m = builder(Mode.CONTINUOUS, "continuous").build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(10))).isTrue();
            StringBuilder everyTable = new StringBuilder("BEGIN;");
            for (int i = 1; i <= TABLES; i++) {
                everyTable.append(" INSERT INTO public.t").append(i).append(" VALUES (").append(ROWS + 1)
                        .append(", 0, 'streamed');");
            }
            source.execute("many", everyTable.append(" COMMIT").toString());
            handle.cutover(Duration.ofMinutes(5));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        } finally {
            // the cutover fenced the source database read-only; the dump test may run after this one
            source.execute("many", "SET default_transaction_read_only = off", deleteStreamedRows());
        }
        assertThat(target.queryLong("many", INDEXES)).as("primary keys and indexes").isEqualTo(2L * TABLES);
        assertThat(target.queryLong("many", ROW_COUNT)).as("copied and streamed rows")
                .isEqualTo((long) TABLES * (ROWS + 1));
    }

    private static String deleteStreamedRows() {
        StringBuilder sql = new StringBuilder();
        for (int i = 1; i <= TABLES; i++) {
            sql.append("DELETE FROM public.t").append(i).append(" WHERE id = ").append(ROWS + 1).append(";");
        }
        return sql.toString();
    }

    private static io.pgrelocate.core.MigrationBuilder builder(Mode mode, String id) {
        return Migration.builder().source(source.endpoint("postgres")).target(target.endpoint("postgres")).mode(mode)
                .databases("many").migrationId(id).jobs(2).statusInterval(Duration.ofMillis(500));
    }
}
