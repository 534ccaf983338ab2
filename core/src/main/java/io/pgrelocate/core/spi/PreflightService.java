package io.pgrelocate.core.spi;

import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.PreflightReport;

/**
 * Checks a migration's prerequisites. Found with {@link java.util.ServiceLoader}; the {@code preflight}
 * module provides it. Must be thread-safe; must not change either server.
 */
public interface PreflightService {
    PreflightReport check(MigrationConfig config);
}
