package io.pgrelocate.replication.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NetChangesTest {
    private static final TargetRelation KEYED = relation('d');
    private static final TargetRelation FULL = relation('f');

    private final NetChanges net = new NetChanges();
    private final List<String> replayed = new ArrayList<>();
    private final NetChanges.Sink sink = new NetChanges.Sink() {
        @Override
        public void insertAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) {
            rows.forEach(row -> replayed.add("insert " + String.join("/", row.values())));
        }

        @Override
        public void updateAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) {
            rows.forEach(t -> replayed.add("update " + show(t)));
        }

        @Override
        public void deleteAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> keys) {
            keys.forEach(t -> replayed.add("delete " + t.values()[0]));
        }
    };

    // guards the net effect of each pair of changes to one key, and the replay order
    @Test
    void collapsesChangesToOneKeyToTheirNetEffect() throws Exception {
        assertThat(net.absorb(KEYED, insert("1", "a"))).isTrue();
        assertThat(net.absorb(KEYED, update("1", "b"))).isTrue();
        assertThat(net.absorb(KEYED, insert("2", "x"))).isTrue();
        assertThat(net.absorb(KEYED, delete("2"))).isTrue();
        assertThat(net.absorb(KEYED, update("3", "c"))).isTrue();
        assertThat(net.absorb(KEYED, update("3", null))).isTrue();
        assertThat(net.absorb(KEYED, delete("4"))).isTrue();
        assertThat(net.absorb(KEYED, insert("4", "d"))).isTrue();
        assertThat(net.absorb(KEYED, update("5", "e"))).isTrue();
        assertThat(net.absorb(KEYED, delete("5"))).isTrue();
        net.drain(sink);
        assertThat(replayed).containsExactly("delete 4", "delete 5", "update 3/c", "insert 1/b", "insert 4/d");
        assertThat(net.isEmpty()).isTrue();
    }

    // guards against folding what has no key to fold by, or what the source could not have sent
    @Test
    void refusesChangesItCannotFold() {
        assertThat(net.absorb(KEYED, new PgOutputMessage.Update(1, tuple("9", null), false, tuple("1", "a"))))
                .as("a key change").isFalse();
        assertThat(net.absorb(KEYED, insert("1", "a"))).isTrue();
        assertThat(net.absorb(KEYED, insert("1", "a"))).as("a second insert of one key").isFalse();
        assertThat(net.absorb(null, new PgOutputMessage.Truncate(List.of(1), false, false))).isFalse();
    }

    // guards a keyless table (REPLICA IDENTITY FULL, pgbench_history's kind): its inserts stay in order, even
    // identical ones, and its updates and deletes are left to the caller, after the run is sent
    @Test
    void keepsRunsOfInsertsIntoAKeylessTableInOrder() throws Exception {
        assertThat(net.absorb(FULL, insert("1", "a"))).isTrue();
        assertThat(net.absorb(FULL, insert("1", "a"))).as("the same row twice").isTrue();
        assertThat(net.absorb(FULL, insert("0", "b"))).isTrue();
        assertThat(net.absorb(FULL, update("1", "c"))).isFalse();
        assertThat(net.absorb(FULL, delete("1"))).isFalse();
        TargetRelation noKey = new TargetRelation(new PgOutputMessage.Relation(2, "public", "h", 'd',
                List.of(new PgOutputMessage.Column("v", false, 25, -1))), "\"public\".\"h\"", false, new HashMap<>(),
                Map.of(), false);
        assertThat(net.absorb(noKey, new PgOutputMessage.Insert(2, new PgOutputMessage.Tuple(new String[] {"h"},
                new boolean[1])))).as("identity default without a primary key").isTrue();
        net.drain(sink);
        assertThat(replayed).containsExactly("insert 1/a", "insert 1/a", "insert 0/b", "insert h");
    }

    // guards keys compared by their bytes: equal text is one key, different text two
    @Test
    void foldsChangesByTheKeyBytesSent() throws Exception {
        assertThat(net.absorb(KEYED, insert("10", "a"))).isTrue();
        assertThat(net.absorb(KEYED, new PgOutputMessage.Update(1, null, false,
                new PgOutputMessage.Tuple(new byte[][] {"10".getBytes(), "b".getBytes()}, new boolean[2])))).isTrue();
        assertThat(net.absorb(KEYED, insert("1", "c"))).isTrue();
        net.drain(sink);
        assertThat(replayed).containsExactly("insert 10/b", "insert 1/c");
    }

    // guards rows as the decoder leaves them, slices of their messages: one key at different offsets of different
    // arrays is one key, a complete later row replaces the earlier, and an unsent value is taken from the earlier
    @Test
    void foldsRowsThatAreSlicesOfTheirMessages() throws Exception {
        assertThat(net.absorb(KEYED, new PgOutputMessage.Insert(1, sliced(3, "10", "a")))).isTrue();
        assertThat(net.absorb(KEYED, new PgOutputMessage.Update(1, null, false, sliced(17, "10", null)))).isTrue();
        assertThat(net.absorb(KEYED, new PgOutputMessage.Insert(1, sliced(0, "11", "b")))).isTrue();
        PgOutputMessage.Tuple later = sliced(9, "11", "c");
        assertThat(net.absorb(KEYED, new PgOutputMessage.Update(1, null, false, later))).isTrue();
        assertThat(net.absorb(KEYED, new PgOutputMessage.Insert(1, sliced(5, "1", "d")))).as("a key that only "
                + "starts like another").isTrue();
        List<PgOutputMessage.Tuple> inserted = new ArrayList<>();
        net.drain(new NetChanges.Sink() {
            @Override
            public void insertAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) {
                inserted.addAll(rows);
            }

            @Override
            public void updateAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> rows) {
                assertThat(rows).isEmpty();
            }

            @Override
            public void deleteAll(TargetRelation r, int relationId, List<PgOutputMessage.Tuple> keys) {
                assertThat(keys).isEmpty();
            }
        });
        assertThat(inserted).extracting(t -> String.join("/", t.values())).containsExactly("10/a", "11/c", "1/d");
        assertThat(inserted.get(0).complete()).isTrue();
        assertThat(inserted.get(1)).as("a complete later row is kept as it came").isSameAs(later);
    }

    /** A row of {@code id} and {@code v} (null: unsent) as the decoder makes it, {@code at} bytes into its array. */
    private static PgOutputMessage.Tuple sliced(int at, String id, String v) {
        byte[] i = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] x = v == null ? new byte[0] : v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] buffer = new byte[at + i.length + x.length + 4];
        java.util.Arrays.fill(buffer, (byte) '1');
        System.arraycopy(i, 0, buffer, at, i.length);
        System.arraycopy(x, 0, buffer, at + i.length + 2, x.length);
        int[] slices = {at, i.length, v == null ? -1 : at + i.length + 2, x.length};
        return new PgOutputMessage.Tuple(buffer, slices, new boolean[] {false, v == null}, i.length + x.length);
    }

    private static String show(PgOutputMessage.Tuple t) {
        return t.values()[0] + "/" + (t.unchanged()[1] ? "unsent" : t.values()[1]);
    }

    private static PgOutputMessage.Insert insert(String id, String v) {
        return new PgOutputMessage.Insert(1, tuple(id, v));
    }

    /** An update of {@code id}; a null {@code v} is a TOASTed value left unsent. */
    private static PgOutputMessage.Update update(String id, String v) {
        PgOutputMessage.Tuple t = new PgOutputMessage.Tuple(new String[] {id, v}, new boolean[] {false, v == null});
        return new PgOutputMessage.Update(1, null, false, t);
    }

    private static PgOutputMessage.Delete delete(String id) {
        return new PgOutputMessage.Delete(1, tuple(id, null), false);
    }

    private static PgOutputMessage.Tuple tuple(String id, String v) {
        return new PgOutputMessage.Tuple(new String[] {id, v}, new boolean[2]);
    }

    private static TargetRelation relation(char identity) {
        PgOutputMessage.Relation r = new PgOutputMessage.Relation(1, "public", "t", identity,
                List.of(new PgOutputMessage.Column("id", true, 23, -1),
                        new PgOutputMessage.Column("v", identity == 'f', 25, -1)));
        return new TargetRelation(r, "\"public\".\"t\"", false, new HashMap<>(), Map.of(), false);
    }
}
