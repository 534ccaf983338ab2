package io.pgrelocate.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A snapshot of a migration's state as stored on the target, readable from any process. */
public record MigrationStatus(String migrationId, Mode mode, MigrationState state, String source, Instant startedAt,
                              Instant deadline, String requestedAction, String error,
                              List<DatabaseStatus> databases) {
    public MigrationStatus {
        databases = List.copyOf(databases);
    }

    public Optional<DatabaseStatus> database(String name) {
        return databases.stream().filter(d -> d.database().equals(name)).findFirst();
    }

    public long rowsCopied() {
        return databases.stream().mapToLong(DatabaseStatus::rowsCopied).sum();
    }

    /** Whether every database is streaming (or done), so a cutover would be quick. */
    public boolean isCaughtUp() {
        return !databases.isEmpty() && databases.stream()
                .allMatch(d -> d.phase() == Phase.STREAMING || d.phase() == Phase.DONE);
    }
}
