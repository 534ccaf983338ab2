package io.pgrelocate.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Servers shared by every test class of a JVM: one per (major, role), started on first use and stopped
 * when the JVM exits. Thread-safe.
 *
 * <pre>{@code
 * PostgresServer source = PgServers.shared(14, "source");
 * }</pre>
 */
public final class PgServers {
    private static final Map<String, PostgresServer> SERVERS = new LinkedHashMap<>();
    private static boolean hookInstalled;

    private PgServers() {
    }

    /** The shared server of {@code major} playing {@code role} ("source", "target", or any name). */
    public static synchronized PostgresServer shared(int major, String role) {
        String key = major + "/" + role;
        PostgresServer server = SERVERS.get(key);
        if (server == null) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(PgServers::closeAll, "pgrelocate-testkit-shutdown"));
                hookInstalled = true;
            }
            server = PostgresServer.builder().major(major).start();
            SERVERS.put(key, server);
        } else if (!server.isRunning()) {
            server.start();
        }
        return server;
    }

    /** The major version tests use when they do not ask for one: {@code -Dpgrelocate.test.major}, else 17. */
    public static int defaultMajor() {
        return Integer.getInteger("pgrelocate.test.major", 17);
    }

    private static synchronized void closeAll() {
        for (PostgresServer s : SERVERS.values()) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // the JVM is exiting; a server that will not stop is cleaned up with its temp directory
            }
        }
        SERVERS.clear();
    }
}
