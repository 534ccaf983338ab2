package io.pgrelocate.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Guards issue 12: libpq key=value strings are read as libpq reads them, and no parse error shows a password. */
class EndpointSecretsTest {
    private static final Map<String, String> NO_ENV = Map.of("HOME", "/nonexistent");
    private static final String PW = "Hunter2xyz";

    @Test
    void readsLibpqKeyValueStringsWithQuotesAndEscapes() {
        Endpoint e = Endpoint.parse("host=db.example.com port = 6543 user='app user' password='it\\'s a \\\\ "
                + PW + "' dbname=shop sslmode=require application_name=mig", NO_ENV);
        assertThat(e.host()).isEqualTo("db.example.com");
        assertThat(e.port()).isEqualTo(6543);
        assertThat(e.user()).isEqualTo("app user");
        assertThat(e.database()).isEqualTo("shop");
        assertThat(e.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(e.driverProperties().getProperty("password")).isEqualTo("it's a \\ " + PW);
        assertThat(e.driverProperties().getProperty("ApplicationName")).isEqualTo("mig");
        assertThat(e.toString()).doesNotContain(PW);
        Endpoint unquoted = Endpoint.parse("user=a\\ b password=" + PW + " dbname=''", NO_ENV);
        assertThat(unquoted.user()).isEqualTo("a b");
        assertThat(unquoted.database()).as("empty dbname defaults to the user").isEqualTo("a b");
        assertThat(unquoted.host()).isEqualTo("localhost");
    }

    // every error path of the parser, each with a password somewhere in the input
    @ParameterizedTest
    @ValueSource(strings = {
            "postgresql:/user:Hunter2xyz@host/db",
            "postgresql:user:Hunter2xyz@host/db",
            "postgres:///user:Hunter2xyz@host/db?x",
            "mysql://root:Hunter2xyz@h/db",
            "Hunter2xyz",
            "user:Hunter2xyz@host/db",
            "postgresql://u:Hunter2xyz@h/db?Hunter2xyz",
            "postgresql://u:Hunter2xyz@h/db?bogus=1",
            "postgresql://h/db?password=Hunter2xyz&bogus=1",
            "postgresql://h/db?sslpassword=Hunter2xyz&bogus=1",
            "postgresql://u:Hunter2xyz@h1,h2/db",
            "postgresql://u:Hunter2xyz@[::1/db",
            "postgresql://u:Hunter2xyz@[::1]x/db",
            "postgresql://u:Hunter2xyz@h:notaport/db",
            "postgresql://u:Hunter2xyz@h:99999/db",
            "postgresql://u:Hunter2xyz@h/db?port=x",
            "postgresql://u:Hunter2xyz%@h/db",
            "postgresql://u:Hunter2xyz%zz@h/db",
            "postgresql://u:Hunter2xyz@h/db?sslmode=bogus",
            "postgresql://user:Hunter2xyz/db",
            "jdbc:postgresql://h1,h2/db?password=Hunter2xyz",
            "jdbc:postgresql://[::1/db?password=Hunter2xyz",
            "jdbc:postgresql://h:x/db?password=Hunter2xyz",
            "jdbc:postgresql://h/db?password=Hunter2xyz&sslmode=bogus",
            "host=h password=Hunter2xyz junk",
            "host=h password=Hunter2xyz more words=1",
            "host=h password='Hunter2xyz",
            "host=h password=Hunter2xyz Hunter2xyz=1",
            "host=h port=Hunter2xyz password=Hunter2xyz",
            "host=h password=Hunter2xyz sslmode=Hunter2xyz",
            "password=Hunter2xyz =x",
    })
    void noParseErrorShowsThePassword(String input) {
        PgRelocateException e = catchThrowableOfType(PgRelocateException.class, () -> Endpoint.parse(input, NO_ENV));
        assertThat(e).as("rejected: " + input).isNotNull();
        assertThat(e.getMessage()).doesNotContain(PW).doesNotContain("Hunter2");
        assertThat(e.code()).isIn(ErrorCode.INVALID_URI, ErrorCode.INVALID_CONFIG);
    }

    @Test
    void readsThePasswordFromAFileAndNamesOnlyTheFileWhenItCannot(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pw");
        Files.writeString(file, PW + "\n");
        Endpoint e = Endpoint.parse("postgresql://app@h/db", NO_ENV).withPasswordFile(file);
        assertThat(e.driverProperties().getProperty("password")).isEqualTo(PW);
        assertThat(e.hasExplicitPassword()).isTrue();
        assertThat(e.toString()).doesNotContain(PW);
        assertThatThrownBy(() -> e.withPasswordFile(dir.resolve("missing")))
                .isInstanceOf(PgRelocateException.class).hasMessageContaining("missing");
        Files.writeString(file, "\n" + PW);
        assertThatThrownBy(() -> e.withPasswordFile(file)).hasMessageContaining("empty").hasMessageNotContaining(PW);
    }
}
