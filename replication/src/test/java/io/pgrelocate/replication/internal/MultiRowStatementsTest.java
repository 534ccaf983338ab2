package io.pgrelocate.replication.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MultiRowStatementsTest {
    private static final TargetRelation TABLE = new TargetRelation(new PgOutputMessage.Relation(1, "my schema", "T\"1",
            'd', List.of(new PgOutputMessage.Column("id", true, 23, -1), new PgOutputMessage.Column("at", true, 1082, -1),
            new PgOutputMessage.Column("Note", false, 25, -1))), "\"my schema\".\"T\"\"1\"", false, new HashMap<>(),
            Map.of("id", "\"pg_catalog\".\"int4\"", "at", "\"pg_catalog\".\"date\"", "Note", "\"public\".\"my text\""), false);

    // guards the statement text: quoted names, each value cast to its column's type, keys matched by all key columns
    @Test
    void buildsOneUpdateAndOneDeleteJoiningAnArrayPerColumn() {
        assertThat(MultiRowStatements.sql(TABLE, 'V', List.of(0, 1, 2), 1)).isEqualTo(
                "UPDATE ONLY \"my schema\".\"T\"\"1\" AS pgr_t SET \"Note\" = pgr_v.p2::\"public\".\"my text\" "
                        + "FROM unnest(?::text[], ?::text[], ?::text[]) AS pgr_v(p0, p1, p2) "
                        + "WHERE pgr_t.\"id\" = pgr_v.p0::\"pg_catalog\".\"int4\" AND pgr_t.\"at\" = pgr_v.p1::\"pg_catalog\".\"date\"");
        assertThat(MultiRowStatements.sql(TABLE, 'X', List.of(0, 1), 0)).isEqualTo(
                "DELETE FROM ONLY \"my schema\".\"T\"\"1\" AS pgr_t USING unnest(?::text[], ?::text[]) AS pgr_v(p0, p1) "
                        + "WHERE pgr_t.\"id\" = pgr_v.p0::\"pg_catalog\".\"int4\" AND pgr_t.\"at\" = pgr_v.p1::\"pg_catalog\".\"date\"");
    }

    // guards the binary array layout array_recv reads, NULLs included, and the text form pgjdbc may fall back to
    @Test
    void writesAColumnAsABinaryTextArrayFromTheBytesSent() {
        List<PgOutputMessage.Tuple> rows = List.of(row("skip"), row("a\"b\\c"), row(null), row("ü"));
        TextArray array = new TextArray(rows, 1, 4, 0);
        byte[] bytes = new byte[array.lengthInBytes()];
        array.toBytes(bytes, 0);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt()})
                .as("one dimension, has NULLs, of text, 3 elements from 1").containsExactly(1, 1, 25, 3, 1);
        assertThat(b.getInt()).isEqualTo(5);
        b.position(b.position() + 5);
        assertThat(b.getInt()).as("NULL").isEqualTo(-1);
        assertThat(b.getInt()).isEqualTo(2);
        assertThat(new String(bytes, b.position(), 2, StandardCharsets.UTF_8)).isEqualTo("ü");
        assertThat(b.position() + 2).isEqualTo(bytes.length);
        assertThat(array.getValue()).isEqualTo("{\"a\\\"b\\\\c\",NULL,\"ü\"}");
        assertThat(array.getType()).isEqualTo("text[]");
    }

    private static PgOutputMessage.Tuple row(String v) {
        return new PgOutputMessage.Tuple(new byte[][] {v == null ? null : v.getBytes(StandardCharsets.UTF_8)},
                new boolean[1]);
    }
}
