package io.pgrelocate.dump;

import io.pgrelocate.core.Mode;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.MigrationEngine;

/** The point-in-time engine ({@link Mode#DUMP}); found through {@link java.util.ServiceLoader}. */
public final class DumpEngine implements MigrationEngine {
    @Override
    public Mode mode() {
        return Mode.DUMP;
    }

    @Override
    public void run(MigrationContext context) {
        throw new UnsupportedOperationException("being written");
    }
}
