package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A recorded statement whose text arrived in a file (a big message's value) is read back to be replayed. */
class DdlReplayTest {
    private static final List<String> COLUMNS = List.of("id", "tag", "query", "search_path", "role_name", "objects",
            "problem");

    @TempDir
    Path dir;

    // guards issue 10: DDL text over 1 MB in a message over 8 MB was spilled and ended the run FAILED
    @Test
    void spilledStatementTextIsReadBackAndItsFileRemoved() throws IOException {
        String sql = "CREATE INDEX CONCURRENTLY big ON item (v) WHERE v <> '" + "x".repeat(100) + "'";
        Path file = Files.writeString(dir.resolve("query.txt"), sql);
        DdlReplay replay = replay();
        PgOutputMessage.Insert insert = capture(new SpilledValue(file, Files.size(file)));
        assertThat(replay.needsOwnTransaction(insert)).as("its text was read, CONCURRENTLY found").isTrue();
        assertThat(insert.row().hasSpilled()).isFalse();
        assertThat(insert.row().value(2)).isEqualTo(sql);
        assertThat(file).doesNotExist();
    }

    // guards the cap: a statement bigger than the replay holds in memory stops the database naming why
    @Test
    void statementOverTheCapStopsTheDatabaseNamingItsSize() throws IOException {
        Path file = Files.writeString(dir.resolve("query.txt"), "COMMENT ON TABLE item IS 'huge...'");
        long size = DdlReplay.MAX_TEXT_BYTES + (1 << 20);
        PgOutputMessage.Insert insert = capture(new SpilledValue(file, size));
        assertThatThrownBy(() -> replay().needsOwnTransaction(insert)).isInstanceOf(PgRelocateException.class)
                .satisfies(e -> assertThat(((PgRelocateException) e).code()).isEqualTo(ErrorCode.SCHEMA_CHANGED))
                .hasMessageContaining("COMMENT ON TABLE item IS 'huge...'")
                .hasMessageContaining("its text is " + (size >> 20) + " MB, more than the 64 MB");
    }

    // guards: a replayed statement's password option never reaches the stop's message (nor the replay's log line)
    @Test
    void aStoppedStatementsPasswordOptionIsMasked() throws IOException {
        Path file = Files.writeString(dir.resolve("query.txt"),
                "ALTER USER MAPPING FOR alice SERVER remote OPTIONS (SET password 'hunter2')");
        PgOutputMessage.Insert insert = capture(new SpilledValue(file, DdlReplay.MAX_TEXT_BYTES + 1));
        assertThatThrownBy(() -> replay().needsOwnTransaction(insert)).isInstanceOf(PgRelocateException.class)
                .hasMessageContaining("OPTIONS (SET password '***')").hasMessageNotContaining("hunter2");
    }

    private static DdlReplay replay() {
        DdlReplay replay = new DdlReplay("db", "pgrelocate", "m1");
        List<PgOutputMessage.Column> columns = COLUMNS.stream()
                .map(c -> new PgOutputMessage.Column(c, c.equals("id"), 25, -1)).toList();
        assertThat(replay.isCapture(new PgOutputMessage.Relation(7, "pgrelocate", DdlCapture.name("m1"), 'd',
                columns))).isTrue();
        return replay;
    }

    private static PgOutputMessage.Insert capture(SpilledValue query) {
        byte[][] raw = new byte[COLUMNS.size()][];
        raw[0] = "1".getBytes(StandardCharsets.UTF_8);
        raw[1] = "CREATE INDEX".getBytes(StandardCharsets.UTF_8);
        raw[3] = "public".getBytes(StandardCharsets.UTF_8);
        raw[4] = "postgres".getBytes(StandardCharsets.UTF_8);
        raw[5] = "{}".getBytes(StandardCharsets.UTF_8);
        SpilledValue[] spilled = new SpilledValue[COLUMNS.size()];
        spilled[2] = query;
        return new PgOutputMessage.Insert(7, new PgOutputMessage.Tuple(raw, new boolean[COLUMNS.size()], spilled));
    }
}
