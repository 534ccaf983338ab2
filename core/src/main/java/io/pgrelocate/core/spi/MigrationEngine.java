package io.pgrelocate.core.spi;

import io.pgrelocate.core.Mode;

/**
 * Moves the databases of a migration in one {@link Mode}. Found with {@link java.util.ServiceLoader}:
 * the {@code dump} module provides {@link Mode#DUMP}, the {@code replication} module
 * {@link Mode#CONTINUOUS}. Implementations must be thread-safe and stateless between runs.
 */
public interface MigrationEngine {
    Mode mode();

    /**
     * Migrates every database of {@code context}, reporting through its trackers, and returns when each
     * has reached a terminal phase or a stop was requested and honoured (keeping what was copied).
     *
     * @throws io.pgrelocate.core.PgRelocateException when the migration fails
     */
    void run(MigrationContext context);
}
