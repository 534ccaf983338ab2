package io.pgrelocate.testkit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresServerIT {

    @ParameterizedTest
    @ValueSource(ints = {14, 15, 16, 17, 18})
    void startsEveryMajorWithLogicalWalAndPasswordAuthentication(int major) {
        PostgresServer pg = PgServers.shared(major, "smoke");
        assertThat(pg.queryValue("postgres", "SELECT current_setting('server_version_num')"))
                .startsWith(Integer.toString(major));
        assertThat(pg.queryValue("postgres", "SHOW wal_level")).isEqualTo("logical");
        Properties wrong = new Properties();
        wrong.setProperty("user", PostgresServer.SUPERUSER);
        wrong.setProperty("password", "not-the-password");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres",
                wrong)).isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("28P01");
    }

    @ParameterizedTest
    @ValueSource(ints = {17})
    void restartsKeepingData(int major) {
        try (PostgresServer pg = PostgresServer.builder().major(major).start()) {
            pg.execute("postgres", "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (1)");
            pg.restart();
            assertThat(pg.queryValue("postgres", "SELECT count(*) FROM kept")).isEqualTo("1");
            pg.close();
            pg.close();
            assertThat(pg.isRunning()).isFalse();
        }
    }
}
