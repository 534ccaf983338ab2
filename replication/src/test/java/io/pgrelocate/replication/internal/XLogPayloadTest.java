package io.pgrelocate.replication.internal;

import org.junit.jupiter.api.Test;
import org.postgresql.core.PGStream;
import org.postgresql.util.HostSpec;

import javax.net.SocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XLogPayloadTest {
    // guards the bounded heap: a value of a big message goes to a file, the others stay in memory, none is lost
    @Test
    void aBigValueOfABigInsertIsSpilledToAFileAndTheRestKeptInMemory() throws Exception {
        byte[] big = new byte[XLogPayload.WHOLE_BYTES + 5];
        Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = '\t';
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(msg);
        out.writeByte('I');
        out.writeInt(42);
        out.writeByte('N');
        out.writeShort(3);
        out.writeByte('t');
        out.writeInt(2);
        out.write("ab".getBytes(StandardCharsets.UTF_8));
        out.writeByte('t');
        out.writeInt(big.length);
        out.write(big);
        out.writeByte('n');
        byte[] bytes = msg.toByteArray();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PGStream pg = connect(server, bytes);
             XLogPayload payload = new XLogPayload(pg)) {
            StreamSession.Received r = payload.read(bytes.length);
            PgOutputMessage.Insert insert = (PgOutputMessage.Insert) r.message();
            PgOutputMessage.Tuple row = insert.row();
            assertThat(insert.relationId()).isEqualTo(42);
            assertThat(row.value(0)).isEqualTo("ab");
            assertThat(row.value(2)).isNull();
            SpilledValue file = row.spilled(1);
            assertThat(file).isNotNull();
            assertThat(Files.readAllBytes(file.file())).isEqualTo(big);
            assertThat(r.heapBytes()).as("heap held").isLessThan(1024);
            assertThat(r.fileBytes()).isEqualTo(big.length);
            assertThatThrownBy(() -> row.raw(1)).as("never read as NULL").isInstanceOf(IllegalStateException.class);
            SpilledValue.release(insert);
            assertThat(file.file()).doesNotExist();
        }
    }

    /** A protocol stream whose server side sends {@code bytes}. */
    private static PGStream connect(ServerSocket server, byte[] bytes) throws IOException {
        Thread sender = new Thread(() -> {
            try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                o.write(bytes);
                o.flush();
                s.getInputStream().read(); // until the client closes
            } catch (IOException ignored) {
                // the test's assertions say what went wrong
            }
        });
        sender.setDaemon(true);
        sender.start();
        return new PGStream(SocketFactory.getDefault(), new HostSpec("127.0.0.1", server.getLocalPort()), 5000);
    }
}
