package io.pgrelocate.replication.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Splitting a captured query into statements decides what is replayed and what stops the stream. */
class DdlTextTest {
    @Test
    void plainDdlIsOneStatementWithItsKeyword() {
        DdlText t = DdlText.parse("ALTER TABLE item ADD COLUMN flag int NOT NULL DEFAULT 7;");
        assertThat(t.ddl()).extracting(DdlText.Part::text).containsExactly("ALTER TABLE item ADD COLUMN flag int NOT NULL DEFAULT 7");
        assertThat(t.notDdl()).isNull();
        assertThat(t.needsOwnTransaction()).isFalse();
    }

    // guards double apply: DML next to DDL in one query string must be seen, not replayed
    @Test
    void dmlNextToDdlInOneStringIsFound() {
        DdlText t = DdlText.parse("CREATE TABLE a (id int); INSERT INTO a VALUES (1)");
        assertThat(t.notDdl().keyword()).isEqualTo("INSERT");
        assertThat(DdlText.parse("DO $$ BEGIN CREATE TABLE b (); END $$").notDdl().keyword()).isEqualTo("DO");
        assertThat(DdlText.parse("SELECT make_tables()").notDdl()).isNotNull();
    }

    @Test
    void semicolonsInsideQuotesBodiesAndCommentsDoNotSplit() {
        String fn = "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN NEW.a := ';'; RETURN NEW; "
                + "END $body$";
        assertThat(DdlText.parse(fn).statements()).hasSize(1);
        assertThat(DdlText.parse("COMMENT ON TABLE t IS 'a;b''c;' -- x;y\n").statements()).hasSize(1);
        assertThat(DdlText.parse("COMMENT ON TABLE t IS E'a\\';b' /* c; /* d; */ e; */").statements()).hasSize(1);
        assertThat(DdlText.parse("CREATE TABLE \"we;ird\" (id int)").statements()).hasSize(1);
        String atomic = "CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 "
                + "ELSE 0 END; SELECT 2; END";
        assertThat(DdlText.parse(atomic + "; DROP TABLE z").ddl()).extracting(DdlText.Part::text)
                .containsExactly(atomic, "DROP TABLE z");
    }

    @Test
    void transactionControlIsDroppedAndConcurrentlyRunsAlone() {
        DdlText t = DdlText.parse("BEGIN; CREATE TABLE a (id int); CREATE TABLE b (id int); COMMIT;");
        assertThat(t.notDdl()).isNull();
        assertThat(t.ddl()).hasSize(2);
        assertThat(DdlText.parse("create index concurrently i on t (a)").needsOwnTransaction()).isTrue();
        assertThat(DdlText.parse("CREATE INDEX i ON t (concurrently_col)").needsOwnTransaction()).isFalse();
    }

    @Test
    void readsTheTextFormOfATextArray() {
        assertThat(DdlReplay.PgArrays.parse("{public.a,\"public.\\\"b c\\\"\"}")).containsExactly("public.a",
                "public.\"b c\"");
        assertThat(DdlReplay.PgArrays.parse("{}")).isEmpty();
    }
}
