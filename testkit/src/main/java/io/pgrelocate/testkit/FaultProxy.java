package io.pgrelocate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server, for fault tests: {@link #pause()} freezes every
 * connection open at that moment (nothing is forwarded either way, nothing is closed: a stalled or half-open
 * path) while new connections work; {@link #resume()} lets them flow again; {@link #cut()} closes them all;
 * {@link #throttle(long)} makes every connection a slow link.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(server.port())) {
 *     Endpoint viaProxy = Endpoint.of("127.0.0.1", proxy.port(), "postgres", user, password).withoutSsl();
 *     ...
 *     proxy.pause();
 * }
 * }</pre>
 * Thread-safe; {@link #close()} is safe twice.
 */
public final class FaultProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile long bytesPerSecond;

    private FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "faultproxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** A proxy to {@code 127.0.0.1:targetPort} on a free local port. */
    public static FaultProxy start(int targetPort) {
        try {
            return new FaultProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the fault proxy: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Freezes every connection open now; connections made later are not affected. */
    public void pause() {
        links.forEach(l -> l.paused = true);
    }

    /** Lets frozen connections flow again. */
    public void resume() {
        links.forEach(l -> l.paused = false);
    }

    /**
     * Limits each connection, each way, to about {@code bytesPerSecond} (0: no limit), now and for connections made
     * later: a slow network, to watch a long copy in a test without moving much data.
     */
    public void throttle(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be 0 (no limit) or positive");
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Closes every connection open now (both sides see the connection drop). */
    public void cut() {
        links.forEach(Link::close);
    }

    /** How many connections are open through the proxy. */
    public int openConnections() {
        return (int) links.stream().filter(l -> !l.closed).count();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        cut();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                Link link = new Link(client, upstream);
                links.add(link);
                link.pump(client, upstream, "up");
                link.pump(upstream, client, "down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean paused;
        private volatile boolean closed;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> forward(from, to), "faultproxy-" + port() + "-" + direction);
            t.setDaemon(true);
            t.start();
        }

        private void forward(Socket from, Socket to) {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (!closed) {
                    awaitNotPaused();
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    // a chunk read just before a pause is held back too: a frozen path delivers nothing
                    awaitNotPaused();
                    if (closed) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    holdBack(n);
                }
            } catch (IOException ignored) {
                // the other side went away
            } finally {
                close();
            }
        }

        /** After forwarding {@code n} bytes, waits as long as they take on a throttled link. */
        private void holdBack(int n) {
            long limit = bytesPerSecond;
            if (limit > 0) {
                LockSupport.parkNanos(n * 1_000_000_000L / limit);
            }
        }

        private void awaitNotPaused() {
            while (paused && !closed) {
                LockSupport.parkNanos(20_000_000L);
            }
        }

        void close() {
            closed = true;
            links.remove(this);
            try {
                client.close();
            } catch (IOException ignored) {
                // already closed
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
