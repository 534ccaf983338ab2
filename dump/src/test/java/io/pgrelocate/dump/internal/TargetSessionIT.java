package io.pgrelocate.dump.internal;

import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The post-data sessions' settings, as the target server ends up holding them. */
class TargetSessionIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    // guards the autovacuum wait: ALTER TABLE ... OWNER TO on pgbench's freshly copied accounts table waited the
    // default 1 s deadlock_timeout for the autovacuum it then cancelled
    @Test
    void aSuperuserPostDataSessionCancelsAutovacuumSoonAndKeepsItsOtherSettings() throws SQLException {
        try (Connection c = pg.target().connect("postgres")) {
            TargetSession.prepareForPostData(c, new TargetSession.Maintenance(200 << 10, 3));
            assertThat(show(c, "deadlock_timeout")).isEqualTo(TargetSession.AUTOVACUUM_WAIT);
            assertThat(show(c, "maintenance_work_mem")).isEqualTo("200MB");
            assertThat(show(c, "max_parallel_maintenance_workers")).isEqualTo("3");
            assertThat(show(c, "search_path")).isEqualTo("pg_catalog");
            assertThat(show(c, "synchronous_commit")).isEqualTo("off");
            assertThat(show(c, "statement_timeout")).isEqualTo("0");
        }
    }

    @Test
    void aNonSuperuserPostDataSessionKeepsTheServersDeadlockTimeoutWithoutAnError() throws SQLException {
        String db = "postgres";
        String role = pg.uniqueName("builder");
        pg.target().execute(db, "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pg.target().host() + ":"
                + pg.target().port() + "/" + db + "?sslmode=disable", role, "pw")) {
            String before = show(c, "deadlock_timeout");
            TargetSession.prepareForPostData(c, new TargetSession.Maintenance(100 << 10, 1));
            assertThat(show(c, "deadlock_timeout")).isEqualTo(before).isNotEqualTo(TargetSession.AUTOVACUUM_WAIT);
            assertThat(show(c, "maintenance_work_mem")).isEqualTo("100MB");
            assertThat(show(c, "search_path")).isEqualTo("pg_catalog");
        } finally {
            pg.target().execute(db, "DROP ROLE " + role);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
