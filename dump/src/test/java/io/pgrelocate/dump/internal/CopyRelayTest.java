package io.pgrelocate.dump.internal;

import org.junit.jupiter.api.Test;
import org.postgresql.core.VisibleBufferedInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyRelayTest {
    private static final int[] BATCHES = {1, 3, 7, 16, 64, 4096};

    // guards the header parsing: whatever the socket's reads and the batch size, the target gets exactly the rows'
    // bytes, and the relay stops in front of CopyDone with it unread, for pgjdbc to read
    @Test
    void relaysEveryRowAndStopsAtCopyDoneWhereverTheStreamIsSplit() throws Exception {
        List<byte[]> rows = List.of(bytes(5, 1), bytes(0, 0), bytes(1, 7), bytes(40, 3), bytes(9, 9));
        byte[] end = concat(message('c', new byte[0]), message('C', "COPY 5\0".getBytes()),
                message('Z', new byte[] {'T'}));
        byte[] stream = concat(copyData(rows), end);
        for (int split = 0; split <= stream.length; split++) {
            for (int batch : BATCHES) {
                Relayed r = relayAll(stream, split, batch);
                assertThat(r.out.toByteArray()).as("split %d batch %d", split, batch).isEqualTo(concat(rows));
                assertThat(r.relay.messages()).isEqualTo(5);
                assertThat(r.relay.bytes()).isEqualTo(55);
                assertThat(r.rest).as("left for pgjdbc").isEqualTo(end);
                assertThat(r.largestWrite).isLessThanOrEqualTo(batch);
            }
        }
    }

    // guards the source's error mid-COPY: it is left unread, so pgjdbc raises it with its SQLSTATE
    @Test
    void stopsInFrontOfAnErrorResponse() throws Exception {
        List<byte[]> rows = List.of(bytes(3, 1), bytes(4, 2));
        byte[] error = message('E', "SERROR\0C57014\0Mcanceled\0\0".getBytes());
        byte[] stream = concat(copyData(rows), error);
        for (int split = 0; split <= stream.length; split++) {
            Relayed r = relayAll(stream, split, 5);
            assertThat(r.out.toByteArray()).isEqualTo(concat(rows));
            assertThat(r.rest).isEqualTo(error);
        }
    }

    // guards the memory bound: a row bigger than the batch goes out in batch-sized pieces, across relay calls
    @Test
    void aRowLargerThanTheBatchSpansBatches() throws Exception {
        byte[] big = bytes(100_000, 5);
        byte[] stream = concat(copyData(List.of(bytes(2, 1), big, bytes(2, 2))), message('c', new byte[0]));
        Relayed r = relayAll(stream, 777, 4096);
        assertThat(r.out.toByteArray()).isEqualTo(concat(bytes(2, 1), big, bytes(2, 2)));
        assertThat(r.largestWrite).isEqualTo(4096);
        assertThat(r.calls).as("one call per batch at least").isGreaterThan(100_000 / 4096);
    }

    @Test
    void returnsAfterItsBudgetOfMessages() throws Exception {
        byte[] stream = concat(copyData(List.of(bytes(1, 1), bytes(1, 2), bytes(1, 3))), message('c', new byte[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyRelay relay = new CopyRelay(wire(stream, 0), out::write, new byte[64]);
        assertThat(relay.relay(2)).isTrue();
        assertThat(relay.messages()).isEqualTo(2);
        assertThat(relay.relay(2)).isFalse();
        assertThat(relay.messages()).isEqualTo(3);
        assertThat(out.toByteArray()).containsExactly(1, 2, 3);
    }

    // guards a dropped source: a stream ending inside a row is an I/O failure, never a short table
    @Test
    void aStreamEndingInsideARowFails() {
        byte[] stream = copyData(List.of(bytes(10, 1)));
        for (int cut = 0; cut < stream.length; cut++) {
            byte[] truncated = Arrays.copyOf(stream, cut);
            CopyRelay relay = new CopyRelay(wire(truncated, cut / 2), (b, o, l) -> { }, new byte[4]);
            assertThatThrownBy(() -> {
                while (relay.relay(1)) {
                    // relay on until the stream ends
                }
            }).as("cut at %d", cut).isInstanceOf(EOFException.class);
        }
    }

    private record Relayed(CopyRelay relay, ByteArrayOutputStream out, byte[] rest, int largestWrite, int calls) {
    }

    private static Relayed relayAll(byte[] stream, int split, int batch) throws Exception {
        CopyRelay.Wire wire = wire(stream, split);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] largest = {0};
        CopyRelay relay = new CopyRelay(wire, (b, o, l) -> {
            largest[0] = Math.max(largest[0], l);
            out.write(b, o, l);
        }, new byte[batch]);
        int calls = 1;
        while (relay.relay(1)) {
            calls++;
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        while (peekOrEnd(wire) >= 0) {
            rest.write(wire.read());
        }
        return new Relayed(relay, out, rest.toByteArray(), largest[0], calls);
    }

    private static int peekOrEnd(CopyRelay.Wire wire) throws IOException {
        try {
            return wire.peek();
        } catch (EOFException e) {
            return -1;
        }
    }

    /** A wire as PGStream reads: a small buffer over a socket whose first read ends at {@code split}. */
    private static CopyRelay.Wire wire(byte[] stream, int split) {
        VisibleBufferedInputStream in = new VisibleBufferedInputStream(new SplitStream(stream, split), 8);
        return new CopyRelay.Wire() {
            @Override
            public int peek() throws IOException {
                int c = in.peek();
                if (c < 0) {
                    throw new EOFException();
                }
                return c;
            }

            @Override
            public int read() throws IOException {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException();
                }
                return c;
            }

            @Override
            public int readInt4() throws IOException {
                return in.readInt4();
            }

            @Override
            public void read(byte[] into, int off, int len) throws IOException {
                for (int s = 0; s < len; ) {
                    int w = in.read(into, off + s, len - s);
                    if (w < 0) {
                        throw new EOFException();
                    }
                    s += w;
                }
            }
        };
    }

    /** Returns at most up to {@code split} on its first reads, then at most 5 bytes a read, as a slow socket. */
    private static final class SplitStream extends InputStream {
        private final ByteArrayInputStream data;
        private int untilSplit;

        SplitStream(byte[] bytes, int split) {
            this.data = new ByteArrayInputStream(bytes);
            this.untilSplit = split;
        }

        @Override
        public int read() {
            return data.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = untilSplit > 0 ? Math.min(len, untilSplit) : Math.min(len, 5);
            int r = data.read(b, off, n);
            if (r > 0 && untilSplit > 0) {
                untilSplit -= r;
            }
            return r;
        }
    }

    private static byte[] copyData(List<byte[]> rows) {
        List<byte[]> messages = new ArrayList<>();
        for (byte[] row : rows) {
            messages.add(message('d', row));
        }
        return concat(messages);
    }

    private static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        return concat(List.of(parts));
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
