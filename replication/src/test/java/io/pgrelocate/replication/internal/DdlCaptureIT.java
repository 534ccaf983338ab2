package io.pgrelocate.replication.internal;

import io.pgrelocate.replication.Cleanup;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the capture records on the source, and that {@code cleanup} takes all of it away. */
class DdlCaptureIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(15, 15);

    // guards replay-once and new tables' rows: one row per client statement, new keyed tables published at once
    @Test
    void recordsEachStatementOncePublishesNewTablesAndCleanupRemovesIt() throws Exception {
        String db = pg.newDatabase("capture");
        String id = pg.uniqueName("cap");
        String publication = "pgrelocate_" + id;
        DdlCapture capture = new DdlCapture("pgrelocate", id, publication, false);
        try (Connection c = pg.source().connect(db)) {
            capture.install(c);
        }
        String table = "pgrelocate." + DdlCapture.name(id);
        pg.source().execute(db, "CREATE PUBLICATION " + publication + " FOR TABLE " + table,
                "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY)",
                "CREATE TABLE keyless (x int)",
                "SET search_path = public, pg_catalog", "COMMENT ON TABLE a IS 'the a'");

        // pgjdbc sends the two statements of one string one by one: each is its own client statement
        assertThat(pg.source().queryColumn(db, "SELECT tag || ': ' || btrim(query) FROM " + table
                + " WHERE problem IS NULL ORDER BY id")).containsExactly(
                "CREATE TABLE: CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE: CREATE TABLE b (id int PRIMARY KEY)",
                "CREATE TABLE: CREATE TABLE keyless (x int)",
                "COMMENT: COMMENT ON TABLE a IS 'the a'");
        assertThat(pg.source().queryValue(db, "SELECT search_path FROM " + table + " WHERE tag = 'COMMENT'"))
                .isEqualTo("public, pg_catalog");
        assertThat(pg.source().queryColumn(db, "SELECT problem FROM " + table + " WHERE problem IS NOT NULL"))
                .as("a keyless table is not published: that would break its UPDATE on the source").isNotEmpty()
                .allMatch(p -> p.contains("public.keyless"));
        assertThat(pg.source().queryColumn(db, "SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                + publication + "' ORDER BY 1")).containsExactly("a", "b", DdlCapture.name(id));
        pg.source().execute(db, "UPDATE keyless SET x = 1", "DROP TABLE keyless");

        List<String> dropped = Cleanup.run(pg.source().endpoint("postgres"));
        assertThat(dropped).anyMatch(d -> d.contains(DdlCapture.name(id)) && d.contains(db));
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_event_trigger")).isZero();
        assertThat(pg.source().queryValue(db, "SELECT to_regnamespace('pgrelocate')")).isNull();
        assertThat(pg.source().queryLong(db, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'pgrelocate%'")).isZero();
    }
}
