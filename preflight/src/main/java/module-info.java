/** Preflight: every prerequisite of a migration checked, each problem with its exact fix. */
module io.pgrelocate.preflight {
    requires transitive io.pgrelocate.core;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;

    exports io.pgrelocate.preflight;

    provides io.pgrelocate.core.spi.PreflightService with io.pgrelocate.preflight.Preflight;
}
