package io.pgrelocate.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a {@link PostgresServer} writes and reads in its directory: its default settings, its log, its removal. */
final class ServerFiles {
    private ServerFiles() {
    }

    /** The postgresql.conf settings of every testkit server listening on {@code port}; a test's own come after. */
    static Map<String, String> defaultSettings(int port) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("port", Integer.toString(port));
        all.put("listen_addresses", "127.0.0.1");
        all.put("unix_socket_directories", "");
        all.put("wal_level", "logical");
        all.put("max_replication_slots", "40");
        all.put("max_wal_senders", "40");
        all.put("max_connections", "200");
        all.put("max_prepared_transactions", "10");
        all.put("fsync", "off");
        all.put("full_page_writes", "off");
        all.put("synchronous_commit", "off");
        all.put("shared_buffers", "64MB");
        all.put("max_wal_size", "2GB");
        all.put("log_min_messages", "warning");
        all.put("timezone", "UTC");
        return all;
    }

    /** The last 20 lines of {@code file}, for a failure's message. */
    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
