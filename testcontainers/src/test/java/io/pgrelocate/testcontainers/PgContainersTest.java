package io.pgrelocate.testcontainers;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.SslMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the fixtures that need no Docker engine. */
class PgContainersTest {
    @Test
    void presetCommandTurnsOnLogicalReplication() {
        assertThat(PgContainers.command()).startsWith("postgres")
                .containsSubsequence("-c", "wal_level=logical")
                .containsSubsequence("-c", "max_replication_slots=20")
                .containsSubsequence("-c", "max_wal_senders=20");
    }

    @Test
    void endpointFromAJdbcUrlTakesTheGivenCredentialsAndNeverShowsThePassword() {
        Endpoint e = ContainerEndpoints.fromJdbcUrl("jdbc:postgresql://localhost:49153/test?loggerLevel=OFF",
                "test", "s3cret");
        assertThat(e.host()).isEqualTo("localhost");
        assertThat(e.port()).isEqualTo(49153);
        assertThat(e.database()).isEqualTo("test");
        assertThat(e.user()).isEqualTo("test");
        assertThat(e.driverProperties().getProperty("password")).isEqualTo("s3cret");
        assertThat(e.sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(e.toString()).doesNotContain("s3cret");
    }

    @Test
    void endpointKeepsTheTlsModeTheUrlAsksFor() {
        Endpoint e = ContainerEndpoints.fromJdbcUrl("jdbc:postgresql://db:5432/app?sslmode=require", "app", "pw");
        assertThat(e.sslMode()).isEqualTo(SslMode.REQUIRE);
    }
}
