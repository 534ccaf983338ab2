package io.pgrelocate.testcontainers;

import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade test as a team with Docker writes it: PostgreSQL 14 into 17 in containers. Reported as skipped
 * where no Docker engine runs (this build's machines); the code it shares with the embedded servers is tested
 * by {@link EndpointMigrationIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerUpgradeIT {
    @Container
    static final PostgreSQLContainer<?> source = PgContainers.logicalReplication(14);
    @Container
    static final PostgreSQLContainer<?> target = PgContainers.logicalReplication(17);

    @Test
    void upgradesFourteenToSeventeenContinuously() throws SQLException {
        execute(source, "test", "CREATE DATABASE shop");
        execute(source, "shop", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric)");
        execute(source, "shop", "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 10000) g");

        MigrationState end = ContainerMigration.migrate(source, target, Mode.CONTINUOUS, Duration.ofMinutes(5));

        assertThat(end).isEqualTo(MigrationState.COMPLETED);
        assertThat(count(target, "shop")).isEqualTo(10000);
    }

    private static void execute(PostgreSQLContainer<?> c, String database, String sql) throws SQLException {
        try (Connection conn = connect(c, database); Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(PostgreSQLContainer<?> c, String database) throws SQLException {
        try (Connection conn = connect(c, database); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(PostgreSQLContainer<?> c, String database) throws SQLException {
        return DriverManager.getConnection(c.getJdbcUrl().replace("/" + c.getDatabaseName() + "?", "/" + database + "?"),
                c.getUsername(), c.getPassword());
    }
}
