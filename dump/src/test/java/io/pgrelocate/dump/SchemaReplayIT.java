package io.pgrelocate.dump;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationListener;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.dump.internal.schema.DatabaseSchema;
import io.pgrelocate.dump.internal.schema.DdlStatement;
import io.pgrelocate.dump.internal.schema.ExtractOptions;
import io.pgrelocate.dump.internal.schema.SchemaExtractor;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schemas that only replay in pg_depend order, and objects the extractor must report instead of copying. */
class SchemaReplayIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void objectsCreatedInAnOrderUnlikeTheirDependenciesReplay() {
        String db = pg.newDatabase("order");
        // every later statement makes an older object depend on a newer one
        pg.source().execute(db,
                "CREATE TABLE t (id int, v text)",
                "CREATE FUNCTION next_id() RETURNS int LANGUAGE sql AS 'SELECT 42'",
                "CREATE FUNCTION valid_id(i int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN i > 0",
                "ALTER TABLE t ALTER COLUMN id SET DEFAULT next_id()",
                "ALTER TABLE t ADD CONSTRAINT id_valid CHECK (valid_id(id))",
                "CREATE TYPE box_t AS (w int, h int)",
                "ALTER TABLE t ADD COLUMN b box_t",
                "CREATE FUNCTION area(b box_t) RETURNS int LANGUAGE sql IMMUTABLE RETURN (b).w * (b).h",
                "CREATE VIEW areas AS SELECT id, area(b) AS area FROM t",
                "CREATE FUNCTION bonus() RETURNS int LANGUAGE sql IMMUTABLE RETURN 1000",
                "CREATE OR REPLACE FUNCTION area(b box_t) RETURNS int LANGUAGE sql IMMUTABLE RETURN (b).w * (b).h + bonus()",
                "CREATE TABLE late (x int)",
                "CREATE OR REPLACE VIEW areas AS SELECT id, area(b) AS area, (SELECT count(*) FROM late) AS late FROM t",
                "INSERT INTO t (b) VALUES (ROW(2, 3)), (ROW(4, 5))",
                "INSERT INTO late VALUES (1)");

        assertThat(migrate(db, MigrationListener.of(e -> { }))).isEqualTo(MigrationState.COMPLETED);

        Map<String, List<String>> source = CatalogSnapshot.of(pg.source(), db, false);
        Map<String, List<String>> target = CatalogSnapshot.of(pg.target(), db, false);
        CatalogSnapshot.assertSame(source, target);
        assertThat(pg.target().queryColumn(db, "SELECT area || '/' || late FROM areas ORDER BY area"))
                .containsExactly("1006/1", "1020/1");
        DataCompare.assertSameData(pg.source(), pg.target(), db);
    }

    // guards: pre-data created on several sessions at once still comes after what it uses, and before its dependents
    @Test
    void tablesCreatedInParallelFindTheirTypesFunctionsAndSequencesAndViewsFindTheirTables() throws Exception {
        String db = pg.newDatabase("levels");
        pg.source().execute(db,
                "CREATE SCHEMA app",
                "CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN app.positive AS int CHECK (VALUE > 0)",
                "CREATE FUNCTION app.twice(i int) RETURNS int LANGUAGE sql IMMUTABLE RETURN i * 2",
                "CREATE SEQUENCE app.ids",
                "CREATE TABLE app.parent (id int, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE app.parent_2025 PARTITION OF app.parent FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE app.base (id int)",
                "CREATE TABLE app.child (extra text) INHERITS (app.base)",
                "INSERT INTO app.parent VALUES (1, '2025-05-05')",
                "INSERT INTO app.child VALUES (2, 'x')");
        // enough tables for a level of several sessions: each uses the type, the domain, the function, the sequence
        pg.source().execute(db, "DO $$ BEGIN FOR i IN 1..150 LOOP EXECUTE format('CREATE TABLE app.t%s (id bigint "
                + "DEFAULT nextval(''app.ids'') PRIMARY KEY, m app.mood, p app.positive, d int CHECK (app.twice(d) < 100) "
                + "DEFAULT app.twice(21)); INSERT INTO app.t%s (m, p) VALUES (''ok'', %s)', i, i, i); END LOOP; END $$",
                "CREATE VIEW app.every AS SELECT id, m FROM app.t1 UNION ALL SELECT id, m FROM app.t150",
                "CREATE VIEW app.happy AS SELECT * FROM app.every WHERE m = 'happy'",
                "CREATE MATERIALIZED VIEW app.counted AS SELECT count(*) AS n FROM app.every");
        DatabaseSchema schema;
        try (java.sql.Connection c = pg.source().connect(db)) {
            c.setAutoCommit(false);
            schema = SchemaExtractor.extract(c, new ExtractOptions(java.util.Set.of(), 170000,
                    java.util.Set.of("postgres"), Map.of(), java.util.Set.of("search_path")));
        }
        List<String> tablesLevel = schema.preData().stream().filter(l -> l.parallel() && l.objects().size() > 100)
                .findFirst().orElseThrow().objects().stream().map(o -> o.get(0).object()).toList();
        assertThat(tablesLevel).as("one parallel level holds the 150 tables, not their partition or child")
                .contains("table app.t1", "table app.t150", "table app.parent", "table app.base")
                .doesNotContain("table app.parent_2025", "table app.child");

        assertThat(migrate(db, MigrationListener.of(e -> { }))).isEqualTo(MigrationState.COMPLETED);

        CatalogSnapshot.assertSame(CatalogSnapshot.of(pg.source(), db, false), CatalogSnapshot.of(pg.target(), db, false));
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryColumn(db, "SELECT n FROM app.counted")).containsExactly("2");
        assertThat(pg.target().queryColumn(db, "SELECT d FROM app.t7")).containsExactly("42");
    }

    @Test
    void whatCannotBeReproducedIsReportedByNameBeforeTheCopyStarts() {
        String db = pg.newDatabase("unreproducible");
        pg.source().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                + "'source_only_role') THEN CREATE ROLE source_only_role; END IF; END $$");
        pg.source().execute(db,
                "CREATE TABLE haunted (id int PRIMARY KEY)",
                "ALTER TABLE haunted OWNER TO source_only_role",
                "CREATE TABLE shared (id int)",
                "GRANT SELECT ON shared TO source_only_role",
                "ALTER DEFAULT PRIVILEGES FOR ROLE source_only_role GRANT SELECT ON TABLES TO PUBLIC",
                "CREATE PUBLICATION everything FOR TABLE shared",
                "CREATE LANGUAGE homemade HANDLER plpgsql_call_handler",
                "INSERT INTO haunted VALUES (1), (2)");
        List<MigrationEvent> events = new CopyOnWriteArrayList<>();

        // roles(NONE): with roles left behind, what names them is reported
        assertThat(migrate(db, MigrationListener.of(events::add), io.pgrelocate.core.RoleSelection.NONE))
                .isEqualTo(MigrationState.COMPLETED);

        int copyStarts = events.indexOf(events.stream().filter(e -> e instanceof MigrationEvent.PhaseStarted p
                && p.phase() == Phase.COPYING).findFirst().orElseThrow());
        List<String> early = events.subList(0, copyStarts).stream().filter(e -> e instanceof MigrationEvent.SchemaWarning)
                .map(e -> ((MigrationEvent.SchemaWarning) e).message()).toList();
        assertThat(early).as("warnings before the copy started")
                .anySatisfy(w -> assertThat(w).contains("public.haunted").contains("source_only_role"))
                .anySatisfy(w -> assertThat(w).contains("public.shared").contains("source_only_role"))
                .anySatisfy(w -> assertThat(w).contains("default privileges of source_only_role"))
                .noneSatisfy(w -> assertThat(w).contains("publication everything"))
                .noneSatisfy(w -> assertThat(w).contains("language homemade"));
        assertThat(pg.target().queryColumn(db, "SELECT pubname || ': ' || schemaname || '.' || tablename FROM "
                + "pg_publication_tables")).as("a publication is copied").containsExactly("everything: public.shared");
        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM pg_language WHERE lanname = 'homemade'"))
                .as("a language created without an extension is copied").isEqualTo("1");
        assertThat(pg.target().queryValue(db, "SELECT count(*) FROM haunted")).isEqualTo("2");
    }

    @Test
    void anExtensionTheTargetCannotInstallIsAClearErrorNamingIt() throws Exception {
        String db = pg.newDatabase("extension");
        pg.source().execute(db, "CREATE EXTENSION citext", "CREATE TABLE t (c citext)");
        // a target offering every extension but citext
        Map<String, java.util.Set<String>> available = Map.of("plpgsql", java.util.Set.of("1.0"));
        ExtractOptions options = new ExtractOptions(java.util.Set.of(), 170000, java.util.Set.of("postgres"), available,
                java.util.Set.of());

        try (java.sql.Connection c = pg.source().connect(db)) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> SchemaExtractor.extract(c, options))
                    .isInstanceOf(PgRelocateException.class)
                    .hasMessageContaining("extension(s) citext 1.6")
                    .extracting(e -> ((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_UNSUPPORTED);
        }
    }

    @Test
    void aDatabaseSettingTheTargetDoesNotKnowIsReportedAndLeftOut() throws Exception {
        String db = pg.newDatabase("settings");
        pg.source().execute(db, "ALTER DATABASE " + io.pgrelocate.core.spi.Sql.ident(db) + " SET work_mem = '8MB'",
                "ALTER DATABASE " + io.pgrelocate.core.spi.Sql.ident(db) + " SET myapp.mode = 'x'");
        // a target that knows no work_mem (as a parameter removed in a later major)
        ExtractOptions options = new ExtractOptions(java.util.Set.of(), 170000, java.util.Set.of("postgres"),
                Map.of(), java.util.Set.of("search_path"));

        DatabaseSchema schema;
        try (java.sql.Connection c = pg.source().connect(db)) {
            c.setAutoCommit(false);
            schema = SchemaExtractor.extract(c, options);
        }

        assertThat(schema.warnings()).anySatisfy(w -> assertThat(w).contains("setting work_mem in database " + db)
                .contains("does not know"));
        List<String> postData = schema.postData().stream().flatMap(List::stream).map(DdlStatement::sql).toList();
        assertThat(postData).anySatisfy(sql -> assertThat(sql).contains("SET \"myapp.mode\" TO 'x'"))
                .noneSatisfy(sql -> assertThat(sql).contains("work_mem"));
    }

    // guards that a publication using what the target's major lacks is reported and left out, never failing the copy
    @Test
    void aPublicationTheTargetsMajorCannotHoldIsReportedAndLeftOutAndOursIsNeverCopied() throws Exception {
        String db = pg.newDatabase("publications");
        pg.source().execute(db, "CREATE SCHEMA s", "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION plain FOR TABLE t WITH (publish = 'insert')",
                "CREATE PUBLICATION filtered FOR TABLE t (id) WHERE (id > 1)",
                "CREATE PUBLICATION by_schema FOR TABLES IN SCHEMA s",
                "CREATE PUBLICATION pgrelocate_0123abcd FOR TABLE t");
        // a 14 target (a migration itself is refused downwards by preflight; the extractor still must not fail)
        ExtractOptions options = new ExtractOptions(java.util.Set.of(), 140000, java.util.Set.of("postgres"),
                Map.of(), java.util.Set.of());

        DatabaseSchema schema;
        try (java.sql.Connection c = pg.source().connect(db)) {
            c.setAutoCommit(false);
            schema = SchemaExtractor.extract(c, options);
        }

        assertThat(schema.warnings()).anySatisfy(w -> assertThat(w).contains("publication filtered is not copied")
                .contains("PostgreSQL 15")).anySatisfy(w -> assertThat(w).contains("publication by_schema is not copied"))
                .noneSatisfy(w -> assertThat(w).contains("pgrelocate_0123abcd"));
        List<String> postData = schema.postData().stream().flatMap(List::stream).map(DdlStatement::sql).toList();
        assertThat(postData.stream().filter(sql -> sql.contains("PUBLICATION"))).containsExactly(
                "CREATE PUBLICATION \"plain\" WITH (publish = 'insert', publish_via_partition_root = false); "
                        + "ALTER PUBLICATION \"plain\" ADD TABLE ONLY \"public\".\"t\"",
                "ALTER PUBLICATION \"plain\" OWNER TO \"postgres\"");
    }

    private MigrationState migrate(String db, MigrationListener listener) {
        return migrate(db, listener, io.pgrelocate.core.RoleSelection.NEEDED);
    }

    private MigrationState migrate(String db, MigrationListener listener, io.pgrelocate.core.RoleSelection roles) {
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.DUMP).databases(db).jobs(2).roles(roles)
                .migrationId(pg.migrationId()).listener(listener).build()) {
            return m.start().await(Duration.ofMinutes(5));
        }
    }
}
