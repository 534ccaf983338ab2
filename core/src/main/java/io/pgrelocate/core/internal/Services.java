package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationEngine;
import io.pgrelocate.core.spi.PreflightService;

import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the engines and the preflight service on the class or module path. */
public final class Services {
    private Services() {
    }

    public static MigrationEngine engine(Mode mode) {
        for (MigrationEngine engine : ServiceLoader.load(MigrationEngine.class, Services.class.getClassLoader())) {
            if (engine.mode() == mode) {
                return engine;
            }
        }
        String module = mode == Mode.DUMP ? "pgrelocate-dump" : "pgrelocate-replication";
        throw new PgRelocateException(ErrorCode.INVALID_CONFIG, "no engine for mode " + mode
                + " found: add io.pgrelocate:" + module + " to the class path");
    }

    public static Optional<PreflightService> preflight() {
        return ServiceLoader.load(PreflightService.class, Services.class.getClassLoader()).findFirst();
    }
}
