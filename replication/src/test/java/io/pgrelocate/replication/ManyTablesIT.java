package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * More tables than either server's lock table holds in one transaction (max_locks_per_transaction at its minimum,
 * 10, so 2,000 tables stand for 10,000 at the default 64): both modes must batch the target's schema, lock on the
 * source only what fits and still copy every table and row.
 */
class ManyTablesIT {
    private static final int TABLES = 2000;
    private static final int ROWS = 10;
    private static PostgresServer source;
    private static PostgresServer target;

    @BeforeAll
    static void servers() {
        source = PostgresServer.builder().major(16).setting("max_locks_per_transaction", "10").start();
        target = PostgresServer.builder().major(17).setting("max_locks_per_transaction", "10").start();
        source.createDatabase("many");
        // 50 tables per transaction: all at once would not fit the source's lock table either
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
        // parents and inheritance children in the publication's first and last batches, both ways round: a parent's
        // ADD TABLE without ONLY adds its children, and then fails on a child an earlier batch added
        source.execute("many", "CREATE SCHEMA aaa", "CREATE SCHEMA zzz",
                "CREATE TABLE aaa.parent (id integer PRIMARY KEY, v text)",
                "CREATE TABLE zzz.child (w text) INHERITS (aaa.parent)", "ALTER TABLE zzz.child ADD PRIMARY KEY (id)",
                "INSERT INTO zzz.child VALUES (1, 'copied', 'c')",
                "CREATE TABLE zzz.parent (id integer PRIMARY KEY)",
                "CREATE TABLE aaa.child () INHERITS (zzz.parent)", "ALTER TABLE aaa.child ADD PRIMARY KEY (id)");
    }

    @AfterAll
    static void stop() {
        for (PostgresServer s : new PostgresServer[] {source, target}) {
            if (s != null) {
                s.close();
            }
        }
    }

    // guards "out of shared memory" from the pre-data in one target transaction and the source's lock-all session
    @Test
    void aDumpCopiesMoreTablesThanTheLockTablesHold() throws SQLException {
        try (Migration m = builder(Mode.DUMP, "dump").build()) {
            MigrationHandle handle = m.start();
            handle.await(Duration.ofMinutes(10));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        assertEveryTableArrived();
    }

    @Test
    void aContinuousMigrationCopiesMoreTablesThanTheLockTablesHoldAndStreams() throws SQLException {
        try (Migration m = builder(Mode.CONTINUOUS, "continuous").build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(10))).isTrue();
            source.execute("many", "INSERT INTO public.t" + TABLES + " VALUES (" + (ROWS + 1) + ", 0, 'streamed')",
                    "DELETE FROM public.t1 WHERE id = 1", "INSERT INTO public.t1 VALUES (1, 1, 'streamed')",
                    "INSERT INTO zzz.child VALUES (2, 'streamed', 'c')");
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        try {
            assertEveryTableArrived();
            assertThat(target.queryColumn("many", "SELECT id || v || w FROM zzz.child ORDER BY id"))
                    .as("the inheritance child published in its parent's batch streams")
                    .containsExactly("1copiedc", "2streamedc");
        } finally {
            source.execute("many", "SET default_transaction_read_only = off", "DELETE FROM zzz.child WHERE id = 2");
            // the cutover fenced the source database read-only; a session may still write
            source.execute("many", "SET default_transaction_read_only = off",
                    "DELETE FROM public.t" + TABLES + " WHERE id = " + (ROWS + 1),
                    "UPDATE public.t1 SET n = 1, v = md5('1') WHERE id = 1");
        }
    }

    // guards the resume of a schema replayed in batches: a rerun must not trip over the half of it committed
    @Test
    void aRerunAfterAFailureHalfwayThroughTheSchemaCopiesEverything() throws SQLException {
        io.pgrelocate.core.MigrationBuilder first = builder(Mode.DUMP, "schemafail").allowNonEmptyTarget(true);
        target.createDatabase("many");
        target.execute("many", "CREATE TABLE public.t1500 (x integer)");
        try (Migration m = first.build()) {
            MigrationHandle handle = m.start();
            assertThatThrownBy(() -> handle.await(Duration.ofMinutes(10))).hasMessageContaining("t1500");
            assertThat(handle.state()).isEqualTo(MigrationState.FAILED);
        }
        assertThat(target.queryLong("many", "SELECT count(*) FROM pg_class WHERE relkind = 'r' "
                + "AND relnamespace = 'public'::regnamespace")).as("the batches before the failure committed")
                .isBetween(2L, (long) TABLES - 1);
        try (Migration m = Migration.builder().source(source.endpoint("postgres")).target(target.endpoint("postgres"))
                .mode(Mode.DUMP).databases("many").migrationId("schemafail").jobs(2).allowNonEmptyTarget(true)
                .build()) {
            MigrationHandle handle = m.start();
            handle.await(Duration.ofMinutes(10));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        assertEveryTableArrived();
    }

    private static io.pgrelocate.core.MigrationBuilder builder(Mode mode, String id) {
        target.dropDatabase("many");
        target.execute("postgres", "DROP SCHEMA IF EXISTS pgrelocate CASCADE");
        return Migration.builder().source(source.endpoint("postgres")).target(target.endpoint("postgres")).mode(mode)
                .databases("many").migrationId(id).jobs(2).statusInterval(Duration.ofMillis(500));
    }

    /** Same tables, same indexes, same rows; one query per table, each in its own transaction. */
    private static void assertEveryTableArrived() throws SQLException {
        String tables = "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace "
                + "AND c.relkind = 'r' ORDER BY 1";
        List<String> names = source.queryColumn("many", tables);
        assertThat(names).hasSize(TABLES);
        assertThat(target.queryColumn("many", tables)).as("every table on the target").isEqualTo(names);
        String indexes = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relnamespace = 'public'::regnamespace AND i.indisvalid";
        assertThat(target.queryLong("many", indexes)).as("primary keys and indexes").isEqualTo(2L * TABLES);
        assertThat(fingerprints(target, names)).as("every row of every table").isEqualTo(fingerprints(source, names));
    }

    private static List<String> fingerprints(PostgresServer server, List<String> tables) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect("many"); Statement st = c.createStatement()) {
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || md5(string_agg(x::text, ',' ORDER BY "
                        + "x.id)) FROM public." + io.pgrelocate.core.spi.Sql.ident(t) + " x")) {
                    rs.next();
                    out.add(t + "=" + rs.getString(1));
                }
            }
        }
        return out;
    }
}
