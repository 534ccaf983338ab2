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
    /** System property that lets a migration start without the preflight module (engine tests only). */
    public static final String PREFLIGHT_OPTIONAL = "pgrelocate.preflight.optional";

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
                + " on the class path: depend on io.pgrelocate:pgrelocate (everything a migration needs) or add "
                + "io.pgrelocate:" + module);
    }

    /**
     * The preflight service a migration must run before it changes anything. Without the preflight module
     * a migration refuses to start (a missing check is not a passed check), unless the system property
     * {@value #PREFLIGHT_OPTIONAL} is {@code true}: that is for tests of an engine alone, which leave
     * preflight out on purpose.
     */
    public static Optional<PreflightService> requiredPreflight() {
        Optional<PreflightService> service = preflight();
        if (service.isEmpty() && !Boolean.getBoolean(PREFLIGHT_OPTIONAL)) {
            throw new PgRelocateException(ErrorCode.INVALID_CONFIG, "pgrelocate-preflight is not on the class path, "
                    + "and a migration does not start without its checks: depend on io.pgrelocate:pgrelocate "
                    + "(everything a migration needs) or add io.pgrelocate:pgrelocate-preflight");
        }
        return service;
    }

    public static Optional<PreflightService> preflight() {
        return ServiceLoader.load(PreflightService.class, Services.class.getClassLoader()).findFirst();
    }
}
