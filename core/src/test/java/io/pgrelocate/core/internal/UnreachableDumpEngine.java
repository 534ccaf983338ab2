package io.pgrelocate.core.internal;

import io.pgrelocate.core.Mode;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.MigrationEngine;

/**
 * A DUMP engine on core's test class path, so that a test can show what {@code start()} does when the engine
 * is present and the preflight module is not. Never runs: {@code start()} must refuse before.
 */
public final class UnreachableDumpEngine implements MigrationEngine {
    @Override
    public Mode mode() {
        return Mode.DUMP;
    }

    @Override
    public void run(MigrationContext context) {
        throw new AssertionError("start() ran an engine without the preflight module");
    }
}
