package io.pgrelocate.dump.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Session settings for the connections that write into the target. */
final class TargetSession {
    private TargetSession() {
    }

    /** For COPY: no waiting for WAL flush per commit (the copy is redone after a crash anyway), no timeouts. */
    static void prepareForCopy(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = off");
            st.execute("SET statement_timeout = 0");
        }
        c.setAutoCommit(false);
    }

    /** For index builds and constraints: more memory for sorts, no timeouts. */
    static void prepareForPostData(Connection c, String maintenanceWorkMem) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET statement_timeout = 0");
            st.execute("SET maintenance_work_mem = " + io.pgrelocate.core.spi.Sql.literal(maintenanceWorkMem));
        }
    }
}
