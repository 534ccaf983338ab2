package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user who depends on core alone sees: core's test class path has no preflight module, a DUMP engine
 * ({@link UnreachableDumpEngine}) and no CONTINUOUS engine. The endpoints point nowhere: the class path is
 * checked before any server is contacted.
 */
class MissingModulesTest {
    // guards: start() without pgrelocate-preflight used to skip every check with only an SLF4J warning
    @Test
    void refusesToStartWithoutThePreflightModuleNamingTheArtifact() {
        Migration migration = migration(Mode.DUMP);
        assertThatThrownBy(migration::start)
                .isInstanceOfSatisfying(PgRelocateException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("pgrelocate-preflight is not on the class path")
                .hasMessageContaining("io.pgrelocate:pgrelocate ");
    }

    @Test
    void refusesToStartWithoutTheEngineOfTheModeNamingTheArtifact() {
        assertThatThrownBy(migration(Mode.CONTINUOUS)::start)
                .hasMessageContaining("no engine for mode CONTINUOUS")
                .hasMessageContaining("io.pgrelocate:pgrelocate-replication")
                .hasMessageContaining("io.pgrelocate:pgrelocate ");
    }

    @Test
    void previewOfChecksAlsoNamesThePreflightArtifact() {
        assertThatThrownBy(migration(Mode.DUMP)::preflight)
                .hasMessageContaining("io.pgrelocate:pgrelocate-preflight");
    }

    private static Migration migration(Mode mode) {
        // ports 1 and 2 on loopback: a connection attempt would fail with CONNECTION_FAILED, not the asserted error
        return Migration.builder().source("postgresql://u@127.0.0.1:1/postgres")
                .target("postgresql://u@127.0.0.1:2/postgres").mode(mode).build();
    }
}
