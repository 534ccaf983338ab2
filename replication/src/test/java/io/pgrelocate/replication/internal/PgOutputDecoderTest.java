package io.pgrelocate.replication.internal;

import io.pgrelocate.core.Lsn;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** pgoutput protocol 1 messages, built byte by byte as the server sends them. */
class PgOutputDecoderTest {

    @Test
    void decodesBeginAndCommit() throws IOException {
        PgOutputMessage begin = decode(m -> {
            m.writeByte('B');
            m.writeLong(0x1_0000_0010L);
            m.writeLong(42L);
            m.writeInt(-1); // xid 4294967295: unsigned
        });
        assertThat(begin).isEqualTo(new PgOutputMessage.Begin(Lsn.of(0x1_0000_0010L), 42L, 4294967295L));
        PgOutputMessage commit = decode(m -> {
            m.writeByte('C');
            m.writeByte(0);
            m.writeLong(100);
            m.writeLong(120);
            m.writeLong(7);
        });
        assertThat(commit).isEqualTo(new PgOutputMessage.Commit(Lsn.of(100), Lsn.of(120), 7));
    }

    @Test
    void decodesARelationWithItsKeyColumns() throws IOException {
        PgOutputMessage.Relation r = (PgOutputMessage.Relation) decode(m -> {
            m.writeByte('R');
            m.writeInt(16384);
            cstring(m, "public");
            cstring(m, "Grüße");
            m.writeByte('d');
            m.writeShort(2);
            m.writeByte(1);
            cstring(m, "id");
            m.writeInt(23);
            m.writeInt(-1);
            m.writeByte(0);
            cstring(m, "note");
            m.writeInt(25);
            m.writeInt(-1);
        });
        assertThat(r.id()).isEqualTo(16384);
        assertThat(r.name()).isEqualTo("Grüße");
        assertThat(r.replicaIdentity()).isEqualTo('d');
        assertThat(r.columns()).extracting(PgOutputMessage.Column::name, PgOutputMessage.Column::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("id", true),
                        org.assertj.core.groups.Tuple.tuple("note", false));
    }

    // guards TOAST: an unchanged out-of-line value ('u') must be told apart from NULL ('n')
    @Test
    void decodesAnUpdateWithOldKeyNullAndUnchangedToast() throws IOException {
        PgOutputMessage.Update u = (PgOutputMessage.Update) decode(m -> {
            m.writeByte('U');
            m.writeInt(16384);
            m.writeByte('K');
            m.writeShort(3);
            text(m, "1");
            m.writeByte('n');
            m.writeByte('n');
            m.writeByte('N');
            m.writeShort(3);
            text(m, "2");
            m.writeByte('n');
            m.writeByte('u');
        });
        assertThat(u.old().values()).containsExactly("1", null, null);
        assertThat(u.oldIsFullRow()).isFalse();
        assertThat(u.row().values()).containsExactly("2", null, null);
        assertThat(u.row().unchanged()).containsExactly(false, false, true);
    }

    @Test
    void decodesDeleteOfAFullRowAndTruncate() throws IOException {
        PgOutputMessage.Delete d = (PgOutputMessage.Delete) decode(m -> {
            m.writeByte('D');
            m.writeInt(5);
            m.writeByte('O');
            m.writeShort(1);
            text(m, "ünïcode");
        });
        assertThat(d.oldIsFullRow()).isTrue();
        assertThat(d.old().values()).containsExactly("ünïcode");
        PgOutputMessage.Truncate t = (PgOutputMessage.Truncate) decode(m -> {
            m.writeByte('T');
            m.writeInt(2);
            m.writeByte(3);
            m.writeInt(5);
            m.writeInt(6);
        });
        assertThat(t).isEqualTo(new PgOutputMessage.Truncate(java.util.List.of(5, 6), true, true));
    }

    // guards the bytes COPY writes from: a value is kept as the UTF-8 bytes sent, decoded only when read
    @Test
    void keepsValuesAsTheBytesSentAndDecodesThemOnUse() throws IOException {
        PgOutputMessage.Insert i = (PgOutputMessage.Insert) decode(m -> {
            m.writeByte('I');
            m.writeInt(5);
            m.writeByte('N');
            m.writeShort(3);
            text(m, "tab\there ünï");
            m.writeByte('n');
            text(m, "");
        });
        PgOutputMessage.Tuple row = i.row();
        assertThat(row.raw(0)).isEqualTo("tab\there ünï".getBytes(StandardCharsets.UTF_8));
        assertThat(row.raw(1)).isNull();
        assertThat(row.raw(2)).isEmpty();
        assertThat(row.value(0)).isEqualTo("tab\there ünï");
        assertThat(row.length(0)).isEqualTo("tab\there ünï".getBytes(StandardCharsets.UTF_8).length);
        assertThat(row.values()).containsExactly("tab\there ünï", null, "");
        PgOutputMessage.Tuple fromStrings = new PgOutputMessage.Tuple(new String[] {"ü", null}, new boolean[2]);
        assertThat(fromStrings.raw(0)).isEqualTo("ü".getBytes(StandardCharsets.UTF_8));
        assertThat(fromStrings.raw(1)).isNull();
    }

    private interface Writer {
        void write(DataOutputStream m) throws IOException;
    }

    private static PgOutputMessage decode(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        // the stream hands over a slice of a larger buffer: decode must honour the offset
        byte[] body = bytes.toByteArray();
        byte[] padded = new byte[body.length + 3];
        System.arraycopy(body, 0, padded, 3, body.length);
        ByteBuffer buf = ByteBuffer.wrap(padded, 3, body.length).slice();
        PgOutputMessage message = PgOutputDecoder.decode(buf);
        assertThat(buf.remaining()).as("bytes left after the message").isZero();
        return message;
    }

    private static void cstring(DataOutputStream m, String s) throws IOException {
        m.write(s.getBytes(StandardCharsets.UTF_8));
        m.writeByte(0);
    }

    private static void text(DataOutputStream m, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        m.writeByte('t');
        m.writeInt(b.length);
        m.write(b);
    }
}
