package io.pgrelocate.testkit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server started with {@code tls()} takes TLS connections only, and its certificate checks as a root. */
class TlsServerIT {

    @ParameterizedTest
    @ValueSource(ints = {14, 18})
    void takesOnlyTlsConnectionsWithACertificateThatVerifiesFor127001(int major) throws SQLException {
        try (PostgresServer pg = PostgresServer.builder().major(major).tls().start()) {
            assertThat(pg.queryValue("postgres", "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
                    .as("the server's own connections use TLS").isEqualTo("true");
            assertThatThrownBy(() -> connect(pg, "disable", null)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no encryption");
            Properties replication = props("disable", null);
            replication.setProperty("replication", "database");
            assertThatThrownBy(() -> DriverManager.getConnection(url(pg), replication))
                    .as("a replication connection without TLS is refused too").isInstanceOf(SQLException.class);
            try (Connection c = connect(pg, "verify-full", pg.rootCertificate().toString());
                 ResultSet rs = c.createStatement().executeQuery("SELECT version FROM pg_stat_ssl "
                         + "WHERE pid = pg_backend_pid()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("TLS");
            }
        }
    }

    private static Connection connect(PostgresServer pg, String sslmode, String rootCert) throws SQLException {
        return DriverManager.getConnection(url(pg), props(sslmode, rootCert));
    }

    private static String url(PostgresServer pg) {
        return "jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres";
    }

    private static Properties props(String sslmode, String rootCert) {
        Properties p = new Properties();
        p.setProperty("user", PostgresServer.SUPERUSER);
        p.setProperty("password", PostgresServer.PASSWORD);
        p.setProperty("sslmode", sslmode);
        if (rootCert != null) {
            p.setProperty("sslrootcert", rootCert);
        }
        return p;
    }
}
