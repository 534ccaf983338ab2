package io.pgrelocate.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationBuilderTest {
    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> Migration.builder().jobs(0).migrationId("Bad Id").maxDuration(Duration.ZERO).build())
                .isInstanceOf(PgRelocateException.class)
                .hasMessageContaining("source is not set")
                .hasMessageContaining("target is not set")
                .hasMessageContaining("mode is not set")
                .hasMessageContaining("jobs is 0")
                .hasMessageContaining("migrationId 'Bad Id'")
                .hasMessageContaining("maxDuration");
    }

    // guards issue 11: a maxDuration past what a timestamp holds failed later with a raw DateTimeException
    @Test
    void refusesAMaxDurationLongerThanTenYears() {
        assertThatThrownBy(() -> Migration.builder().source("postgresql://a@src/x").target("postgresql://b@tgt/y")
                .mode(Mode.DUMP).maxDuration(Duration.ofDays(99_999_999_999_999L)).build())
                .isInstanceOf(PgRelocateException.class)
                .hasMessageContaining("at most 3650 days")
                .extracting(e -> ((PgRelocateException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(Migration.builder().source("postgresql://a@src/x").target("postgresql://b@tgt/y").mode(Mode.DUMP)
                .maxDuration(Duration.ofDays(3650)).build().config().maxDuration()).isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void refusesTheSameServerAsSourceAndTarget() {
        assertThatThrownBy(() -> Migration.builder().source("postgresql://a@localhost:5432/x")
                .target("postgresql://b@127.0.0.1:5432/y").mode(Mode.DUMP).build())
                .hasMessageContaining("same server");
    }

    @Test
    void buildsAnImmutableConfigWithoutShowingPasswords() {
        Migration m = Migration.builder().source("postgresql://a:pw1@src/postgres")
                .target("postgresql://b:pw2@tgt/postgres").mode(Mode.CONTINUOUS).ignoreDatabases("scratch")
                .disableSsl(true).build();
        MigrationConfig c = m.config();
        assertThat(c.databases().test("scratch")).isFalse();
        assertThat(c.databases().test("shop")).isTrue();
        assertThat(c.source().sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(c.maxDuration()).isEqualTo(Duration.ofDays(14));
        assertThat(c.toString()).doesNotContain("pw1").doesNotContain("pw2");
    }

    @Test
    void fenceAndStreamSettingsAreValidatedAndKept() {
        assertThatThrownBy(() -> Migration.builder().source("postgresql://a@src/postgres")
                .target("postgresql://b@tgt/postgres").mode(Mode.CONTINUOUS).cutoverTimeout(Duration.ZERO)
                .stallTimeout(Duration.ofMillis(10)).build())
                .hasMessageContaining("cutoverTimeout must be positive")
                .hasMessageContaining("stallTimeout must be at least 1 second");
        MigrationConfig c = Migration.builder().source("postgresql://a@src/postgres")
                .target("postgresql://b@tgt/postgres").mode(Mode.CONTINUOUS).fence(FenceMode.STRONG)
                .cutoverTimeout(Duration.ofSeconds(30)).recopyInvalidatedSlots(true).build().config();
        assertThat(c.replication()).isEqualTo(new ReplicationOptions(FenceMode.STRONG, Duration.ofSeconds(30), null,
                true));
        assertThat(c.fenceSourceOnCutover()).isTrue();
        MigrationConfig off = Migration.builder().source("postgresql://a@src/postgres")
                .target("postgresql://b@tgt/postgres").mode(Mode.CONTINUOUS).fenceSourceOnCutover(false).build()
                .config();
        assertThat(off.replication().fence()).isEqualTo(FenceMode.NONE);
        assertThat(Migration.builder().source("postgresql://a@src/postgres").target("postgresql://b@tgt/postgres")
                .mode(Mode.CONTINUOUS).build().config().replication()).isEqualTo(ReplicationOptions.DEFAULTS);
    }
}
