package io.pgrelocate.preflight.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeuristicsTest {
    @Test
    void listenAddressesAreLocalOnlyWhenEveryAddressIsLoopback() {
        assertThat(ServerChecks.isLocalOnly("localhost")).isTrue();
        assertThat(ServerChecks.isLocalOnly("127.0.0.1, ::1")).isTrue();
        assertThat(ServerChecks.isLocalOnly("")).isTrue();
        assertThat(ServerChecks.isLocalOnly("*")).isFalse();
        assertThat(ServerChecks.isLocalOnly("localhost,10.0.0.5")).isFalse();
    }

    @Test
    void localeNamesThatDifferOnlyInSpellingAreTheSame() {
        assertThat(Locales.normalise("en_US.UTF-8")).isEqualTo(Locales.normalise("en_US.utf8"));
        assertThat(Locales.normalise("C.UTF-8")).isEqualTo(Locales.normalise("C.utf8"));
        assertThat(Locales.normalise("de_DE.UTF-8")).isNotEqualTo(Locales.normalise("en_US.UTF-8"));
    }

    @Test
    void longListsAreCutWithACount() {
        assertThat(Findings.listed(List.of("a", "b", "c"), 2)).isEqualTo("a, b and 1 more");
        assertThat(Findings.tables("shop", List.of("public.t"))).isEqualTo("shop.public.t");
        assertThat(Findings.tables("shop", List.of("public.t", "public.u"))).isEqualTo("shop (2 tables)");
    }
}
