package io.pgrelocate.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointTest {
    private static final Map<String, String> NO_ENV = Map.of("HOME", "/nonexistent");

    @Test
    void parsesAProviderStyleLibpqUri() {
        Endpoint e = Endpoint.parse("postgresql://doadmin:s3cr%40t@db-host.example.com:25060/defaultdb?sslmode=require",
                NO_ENV);
        assertThat(e.host()).isEqualTo("db-host.example.com");
        assertThat(e.port()).isEqualTo(25060);
        assertThat(e.database()).isEqualTo("defaultdb");
        assertThat(e.user()).isEqualTo("doadmin");
        assertThat(e.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(e.driverProperties().getProperty("password")).isEqualTo("s3cr@t");
    }

    @Test
    void withUserKeepsServerDatabaseAndTlsAndReplacesTheCredentials() {
        Endpoint admin = Endpoint.parse("postgresql://admin:pw1@h:6543/shop?sslmode=require", NO_ENV);
        Endpoint app = admin.withUser("app", "pw2");
        assertThat(app.user()).isEqualTo("app");
        assertThat(app.driverProperties().getProperty("password")).isEqualTo("pw2");
        assertThat(app.toString()).isEqualTo("postgresql://app@h:6543/shop?sslmode=require").doesNotContain("pw2");
        assertThat(app.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(admin.withUser("reader", null).hasExplicitPassword())
                .as("a null password is looked up for the new user, never the old user's kept").isFalse();
    }

    @Test
    void neverShowsThePassword() {
        Endpoint e = Endpoint.parse("postgresql://app:hunter2@h/db", NO_ENV);
        assertThat(e.toString()).doesNotContain("hunter2").isEqualTo("postgresql://app@h:5432/db");
        assertThat(e.display()).doesNotContain("hunter2");
        assertThat(e.jdbcUrl()).doesNotContain("hunter2");
    }

    @Test
    void malformedUriMessagesMaskThePassword() {
        assertThatThrownBy(() -> Endpoint.parse("postgresql://app:hunter2@h:notaport/db", NO_ENV))
                .isInstanceOf(PgRelocateException.class)
                .hasMessageContaining("invalid port")
                .hasMessageNotContaining("hunter2")
                .extracting(t -> ((PgRelocateException) t).code()).isEqualTo(ErrorCode.INVALID_URI);
        assertThatThrownBy(() -> Endpoint.parse("postgresql://h/db?password=hunter2&bogus=1", NO_ENV))
                .hasMessageContaining("bogus").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Endpoint.parse("mysql://root:hunter2@h/db", NO_ENV))
                .hasMessageContaining("unrecognised").hasMessageNotContaining("hunter2");
    }

    @Test
    void parsesJdbcUrlsWithPropertiesAndSslFlag() {
        Endpoint e = Endpoint.parse("jdbc:postgresql://[::1]:6543/my%20db?user=admin&password=pw&ssl=true", NO_ENV);
        assertThat(e.host()).isEqualTo("::1");
        assertThat(e.port()).isEqualTo(6543);
        assertThat(e.database()).isEqualTo("my db");
        assertThat(e.user()).isEqualTo("admin");
        assertThat(e.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(e.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6543/my%20db");
    }

    @Test
    void appliesLibpqDefaults() {
        Endpoint e = Endpoint.parse("postgresql://", Map.of("PGUSER", "alice", "HOME", "/nonexistent"));
        assertThat(e.host()).isEqualTo("localhost");
        assertThat(e.port()).isEqualTo(5432);
        assertThat(e.user()).isEqualTo("alice");
        assertThat(e.database()).isEqualTo("alice");
        assertThat(e.sslMode()).isEqualTo(SslMode.PREFER);
    }

    @Test
    void takesThePasswordFromPgpasswordWhenTheUriHasNone() {
        Endpoint e = Endpoint.parse("postgresql://app@h/db", Map.of("PGPASSWORD", "fromenv", "HOME", "/nonexistent"));
        assertThat(e.driverProperties().getProperty("password")).isEqualTo("fromenv");
        assertThat(e.hasExplicitPassword()).isFalse();
    }

    @Test
    void looksUpThePgpassFileForTheDatabaseConnectedTo(@TempDir Path dir) throws IOException {
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "# comment\nh:5432:other:app:wrong\nh:*:db\\:x:app:colon\nh:5432:*:app:any\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        Endpoint e = Endpoint.parse("postgresql://app@h/db:x", Map.of("PGPASSFILE", pgpass.toString()));
        assertThat(e.driverProperties().getProperty("password")).isEqualTo("colon");
        assertThat(e.withDatabase("other").driverProperties().getProperty("password")).isEqualTo("wrong");
        assertThat(e.withDatabase("third").driverProperties().getProperty("password")).isEqualTo("any");
    }

    @Test
    void ignoresAPgpassFileOthersCanRead(@TempDir Path dir) throws IOException {
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "*:*:*:*:leaked\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        Endpoint e = Endpoint.parse("postgresql://app@h/db", Map.of("PGPASSFILE", pgpass.toString()));
        assertThat(e.driverProperties().getProperty("password")).isNull();
    }

    @Test
    void disablingSslKeepsEverythingElse() {
        Endpoint e = Endpoint.parse("postgresql://app:pw@h:1/db?sslmode=verify-full&sslrootcert=/ca.pem", NO_ENV);
        Endpoint plain = e.withoutSsl();
        assertThat(plain.sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(plain.driverProperties().getProperty("sslmode")).isEqualTo("disable");
        assertThat(plain.driverProperties().getProperty("sslrootcert")).isEqualTo("/ca.pem");
        assertThat(plain.withDatabase("x").database()).isEqualTo("x");
    }

    @Test
    void rejectsSeveralHosts() {
        assertThatThrownBy(() -> Endpoint.parse("postgresql://a:1,b:2/db", NO_ENV))
                .hasMessageContaining("several hosts");
    }
}
