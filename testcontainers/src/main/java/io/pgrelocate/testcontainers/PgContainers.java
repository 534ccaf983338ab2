package io.pgrelocate.testcontainers;

import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL containers ready to be a migration's source or target: the official {@code postgres} image with
 * {@code wal_level=logical} and room for a slot and a WAL sender per migrated database. The container is
 * not started; a test (or {@code @Container}) starts it and closes it.
 *
 * <pre>{@code
 * @Container
 * static final PostgreSQLContainer<?> source = PgContainers.logicalReplication(14);
 * @Container
 * static final PostgreSQLContainer<?> target = PgContainers.logicalReplication(17);
 * }</pre>
 */
public final class PgContainers {
    /** The server settings every container of this class gets (as {@code postgres -c name=value}). */
    public static final Map<String, String> SETTINGS = settings();

    private PgContainers() {
    }

    /** {@code postgres:<major>} set up for logical replication. */
    public static PostgreSQLContainer<?> logicalReplication(int major) {
        return logicalReplication(DockerImageName.parse("postgres:" + major));
    }

    /**
     * Any PostgreSQL image (a private mirror, or a provider's build declared compatible with
     * {@code asCompatibleSubstituteFor("postgres")}) set up for logical replication.
     */
    @SuppressWarnings("resource") // the caller starts and closes the container
    public static PostgreSQLContainer<?> logicalReplication(DockerImageName image) {
        return new PostgreSQLContainer<>(image).withCommand(command().toArray(String[]::new));
    }

    /** {@code postgres -c wal_level=logical ...}: the container's command line. */
    public static List<String> command() {
        List<String> command = new ArrayList<>(List.of("postgres"));
        SETTINGS.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        return command;
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("wal_level", "logical");
        // one slot and one WAL sender per migrated database, with room for a test's many small databases
        s.put("max_replication_slots", "20");
        s.put("max_wal_senders", "20");
        // what PostgreSQLContainer's default command sets: a test database need not survive a crash
        s.put("fsync", "off");
        return Map.copyOf(s);
    }
}
