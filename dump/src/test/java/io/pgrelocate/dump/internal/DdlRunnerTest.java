package io.pgrelocate.dump.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DdlRunnerTest {
    // guards: a user mapping's password never reaches the DDL log
    @Test
    void masksPasswordOptionsOfUserMappingsAndServers() {
        String sql = "CREATE USER MAPPING FOR \"alice\" SERVER \"remote\" OPTIONS (\"user\" 'alice', password 'se''cr et', "
                + "\"password\" 'x', passfile '/p')";

        String masked = DdlRunner.masked(sql);

        assertThat(masked).doesNotContain("se''cr et").doesNotContain("'x'")
                .isEqualTo("CREATE USER MAPPING FOR \"alice\" SERVER \"remote\" OPTIONS (\"user\" 'alice', "
                        + "password '***', \"password\" '***', passfile '/p')");
        assertThat(DdlRunner.masked("CREATE TABLE password (x int)")).isEqualTo("CREATE TABLE password (x int)");
    }
}
