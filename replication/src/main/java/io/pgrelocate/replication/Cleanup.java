package io.pgrelocate.replication;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.ClusterInspector;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.replication.internal.DdlCapture;
import io.pgrelocate.replication.internal.SlotManager;
import io.pgrelocate.replication.internal.SourceFence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Lifts every cutover fence pgrelocate left on a source (the database writable again, a strong fence's CONNECT
 * privileges restored as they were) and drops every replication slot, publication and schema-change capture it
 * left (their names start with {@code pgrelocate_}): what {@code pgrelocate cleanup --source URI} runs after a
 * migration that failed or was killed and will not be resumed. Leftover slots keep the source from recycling WAL.
 * A completed cutover leaves its fence on purpose; this lifts it too.
 *
 * <pre>{@code
 * List<String> dropped = Cleanup.run(Endpoint.parse("postgresql://admin@old-host/postgres"));
 * }</pre>
 */
public final class Cleanup {
    private Cleanup() {
    }

    /**
     * Lifts and drops them all and returns what was done, such as {@code slot pgrelocate_default_shop_1a2b3c4d}
     * or {@code fence on database shop (migration default)}.
     */
    public static List<String> run(Endpoint source) {
        PgConnector connector = new PgConnector(source, "source");
        List<String> dropped = new ArrayList<>();
        SourceFence fence = new SourceFence(connector, "cleanup");
        fence.fenced(null).forEach((db, migration) -> {
            if (!fence.lift(db)) {
                throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "cannot lift the fence of source "
                        + "database " + db + "; run cleanup as the database's owner or a superuser");
            }
            dropped.add("fence on database " + db + " (migration " + migration + ")");
        });
        List<DatabaseInfo> databases;
        try (Connection c = connector.open("cleanup")) {
            databases = ClusterInspector.databases(c);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.CONNECTION_FAILED, "cannot list the source's databases", e);
        }
        for (DatabaseInfo db : databases) {
            if (db.isTemplate() || !db.allowConnections()) {
                continue;
            }
            try (Connection c = connector.open(db.name(), "cleanup")) {
                for (String slot : ours(c, "SELECT slot_name FROM pg_replication_slots WHERE database = current_database()")) {
                    SlotManager.drop(c, slot, null);
                    dropped.add("slot " + slot);
                }
                for (String pub : ours(c, "SELECT pubname FROM pg_publication")) {
                    SlotManager.drop(c, "", pub);
                    dropped.add("publication " + pub + " in " + db.name());
                }
                DdlCapture.removeAll(c).forEach(d -> dropped.add(d + " in " + db.name()));
            } catch (SQLException e) {
                throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot clean up source database " + db.name(), e);
            }
        }
        return dropped;
    }

    private static List<String> ours(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (Names.isOurs(rs.getString(1))) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
