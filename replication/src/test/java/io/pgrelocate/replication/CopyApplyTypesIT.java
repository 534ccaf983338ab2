package io.pgrelocate.replication;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs of inserts streamed into one target transaction go out as COPY in text format, written from the bytes
 * pgoutput sent: every type's text form, the characters COPY escapes (tab, newline, carriage return, backslash,
 * which bytea's hex form starts with), NULLs, identity columns GENERATED ALWAYS, generated columns and a
 * partitioned table must arrive identical, from the oldest major into the newest.
 */
class CopyApplyTypesIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 18);

    private static final String VALUES = "SELECT g, g::int2, g * 1000000000::int8, "
            + "CASE g % 4 WHEN 0 THEN 'NaN'::numeric WHEN 1 THEN -g / 7.0 ELSE 12345678901234567890.123456789 END, "
            + "CASE g % 5 WHEN 0 THEN 'Infinity'::float8 WHEN 1 THEN '-Infinity' WHEN 2 THEN 'NaN' ELSE g / 3.0 END, "
            + "(g / 7.0)::float4, "
            + "CASE WHEN g % 6 = 0 THEN NULL ELSE E'tab\\there\\nnew line\\r\\\\back\\\\slash \\\\N ünïcödé ' || g END, "
            + "CASE WHEN g % 7 = 0 THEN NULL ELSE decode(md5(g::text) || '5c090a0d00', 'hex') END, "
            + "g % 2 = 0, "
            + "CASE g % 3 WHEN 0 THEN 'infinity'::date WHEN 1 THEN '0044-03-15 BC' ELSE '2024-02-29' END, "
            + "'2024-01-01 12:34:56.789012'::timestamp + g * interval '1 day', "
            + "'2024-01-01 12:34:56.789012+05:30'::timestamptz - g * interval '1 hour', "
            + "make_interval(years => g, days => -g, secs => g * 1.5), '23:59:59.999999'::time, '10:00+03'::timetz, "
            + "md5(g::text)::uuid, json_build_object('k', E'a\\tb\\\\c', 'n', g), "
            + "jsonb_build_object('k', E'line\\nbreak', 'a', jsonb_build_array(1, NULL, 'x')), "
            + "ARRAY[g, NULL, 3], ARRAY[E'q\"uote', E'back\\\\slash', NULL, 'tab\tin'], ARRAY[[1, 2], [3, g]], "
            + "(ARRAY['red', 'green', 'blue'])[1 + g % 3]::color, ROW(g, E'x\\ty')::pair, int4range(g, g + 10), "
            + "('10.0.' || g || '.1/24')::inet, '192.168.0.0/16'::cidr, '08:00:2b:01:02:03'::macaddr, B'10101'::varbit, "
            + "xmlparse(content '<a b=\"1\">t&amp;x</a>'), to_tsvector('simple', 'the quick brown ' || g), "
            + "point(g, -g), (g * 1.25)::money, 'ab'::char(3), ('v' || g)::varchar(10) "
            + "FROM generate_series(";
    private static final String COLOR = "CREATE TYPE color AS ENUM ('red', 'green', 'blue')";
    private static final String PAIR = "CREATE TYPE pair AS (a int, b text)";
    /** A column of each type the tests send, filled by {@link #values}. */
    private static final String TYPED = "CREATE TABLE typed (id int PRIMARY KEY, i2 int2, i8 int8, num numeric, "
            + "f8 float8, f4 float4, txt text, bin bytea, flag bool, d date, ts timestamp, tstz timestamptz, iv interval, "
            + "t time, ttz timetz, u uuid, j json, jb jsonb, ia int[], ta text[], md int[], e color, c pair, r int4range, "
            + "ip inet, net cidr, mac macaddr, vb varbit, x xml, tv tsvector, pt point, m money, ch char(3), "
            + "vc varchar(10))";
    private static final String COLUMNS = "(id, i2, i8, num, f8, f4, txt, bin, flag, d, ts, tstz, iv, t, ttz, u, j, jb, "
            + "ia, ta, md, e, c, r, ip, net, mac, vb, x, tv, pt, m, ch, vc)";

    private static String values(int from, int to) {
        return VALUES + from + ", " + to + ") g";
    }

    // guards updates and deletes of many rows sent as arrays of the text pgoutput sent, each value cast to its
    // column's type, every type and key columns of several types, from the oldest major into the newest
    @Test
    void updatesAndDeletesAppliedAsArraysArriveIdenticalForEveryType() {
        String db = pg.newDatabase("arraytypes");
        pg.source().execute(db,
                COLOR, PAIR, TYPED,
                "CREATE TABLE ck (t text, d date, u uuid, n numeric, v text, PRIMARY KEY (t, d, u, n))",
                "INSERT INTO typed " + COLUMNS + " " + values(1, 90),
                "INSERT INTO ck SELECT E'k\\\\\"{,}' || g, '2024-01-01'::date + g, md5(g::text)::uuid, g / 4.0, 'v' "
                        + "FROM generate_series(1, 40) g");
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            String columns = COLUMNS.replace("(id, ", "(");
            pg.source().execute(db, "BEGIN; "
                    // every column of 80 rows takes another row's values, NULLs where that row has them
                    + "UPDATE typed t SET " + columns + " = (SELECT " + columns.substring(1, columns.length() - 1)
                    + " FROM (" + VALUES + "t.id + 3, t.id + 3) g) s" + COLUMNS + ") WHERE id > 10; "
                    + "DELETE FROM typed WHERE id % 4 = 0; "
                    + "UPDATE ck SET v = E'new\\t\"' || n WHERE n > 2; DELETE FROM ck WHERE n < 1; "
                    + "COMMIT");
            String check = "SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY id)) FROM typed t";
            String checkCk = "SELECT count(*) || ':' || md5(string_agg(k::text, '|' ORDER BY t, d, u, n)) FROM ck k";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> pg.source().queryValue(db, check).equals(pg.target().queryValue(db, check))
                            && pg.source().queryValue(db, checkCk).equals(pg.target().queryValue(db, checkCk)));
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM typed")).isEqualTo(68);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM ck WHERE v LIKE 'new%'")).isEqualTo(32);
    }

    // guards COPY's text escaping and every type's text form on the way from a 14 source into an 18 target
    @Test
    void insertsAppliedAsCopyArriveIdenticalForEveryType() {
        String db = pg.newDatabase("copytypes");
        pg.source().execute(db,
                COLOR, PAIR, TYPED,
                "CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text, "
                        + "twice int GENERATED ALWAYS AS (id * 2) STORED)",
                "CREATE TABLE part (id int, k int, v text, PRIMARY KEY (id, k)) PARTITION BY RANGE (k)",
                "CREATE TABLE part_a PARTITION OF part FOR VALUES FROM (0) TO (50)",
                "CREATE TABLE part_b PARTITION OF part FOR VALUES FROM (50) TO (100)",
                "INSERT INTO typed " + COLUMNS + " " + values(1, 3));
        try (Migration m = Migration.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).mode(Mode.CONTINUOUS).databases(db)
                .migrationId(pg.migrationId()).statusInterval(Duration.ofMillis(200)).build()) {
            MigrationHandle handle = m.start();
            assertThat(handle.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
            ApplyProbe.install(pg.target(), db, "typed", "ident", "part");
            pg.source().execute(db, "BEGIN; "
                    + "INSERT INTO typed " + COLUMNS + " " + values(10, 70) + "; "
                    // inserted then updated: one collapsed row each, still copied
                    + "UPDATE typed SET txt = E'updated\\\\\\t' || id WHERE id BETWEEN 20 AND 30; "
                    + "INSERT INTO ident (v) SELECT E'v\\n' || g FROM generate_series(1, 40) g; "
                    + "INSERT INTO part SELECT g, g % 100, E'p\\\\' || g FROM generate_series(1, 60) g; "
                    + "COMMIT");
            // many small transactions applied in one target transaction: a run of single-row inserts
            for (int i = 100; i < 130; i++) {
                pg.source().execute(db, "INSERT INTO typed " + COLUMNS + " " + values(i, i));
            }
            String check = "SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY id)) FROM typed t";
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> pg.source().queryValue(db, check).equals(pg.target().queryValue(db, check)));
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                    pg.target().queryLong(db, "SELECT count(*) FROM part") == 60);
            // the rows above prove nothing unless they came by COPY: the INSERT path would write them the same
            for (String table : new String[] {"typed", "ident", "part"}) {
                assertThat(ApplyProbe.statements(pg.target(), db, table)).as("statements that wrote " + table)
                        .contains("COPY");
            }
            ApplyProbe.remove(pg.target(), db);
            handle.cutover(Duration.ofMinutes(2));
            assertThat(handle.state()).isEqualTo(MigrationState.COMPLETED);
        }
        DataCompare.assertSameData(pg.source(), pg.target(), db);
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM typed")).isEqualTo(94);
        assertThat(pg.target().queryValue(db, "SELECT string_agg(id || ':' || twice, ',' ORDER BY id) FROM ident "
                + "WHERE id IN (1, 40)")).isEqualTo("1:2,40:80");
        assertThat(pg.target().queryLong(db, "SELECT count(*) FROM part_b")).isEqualTo(11);
    }
}
