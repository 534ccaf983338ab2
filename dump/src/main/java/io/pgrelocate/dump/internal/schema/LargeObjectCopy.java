package io.pgrelocate.dump.internal.schema;

import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies every large object (created with the same oid, contents streamed in chunks, never whole in memory) from a
 * source transaction inside the migration's snapshot. Owners, privileges and comments follow in the post-data.
 */
final class LargeObjectCopy implements DataTask {
    private static final int BATCH = 500;
    private static final int CHUNK = 256 * 1024;

    @Override
    public String name() {
        return "large objects";
    }

    @Override
    public void run(Connection source, Connection target) throws SQLException {
        LargeObjectManager from = source.unwrap(PGConnection.class).getLargeObjectAPI();
        LargeObjectManager to = target.unwrap(PGConnection.class).getLargeObjectAPI();
        byte[] buffer = new byte[CHUNK];
        long last = -1;
        List<Long> batch;
        do {
            batch = next(source, last);
            for (long oid : batch) {
                try (PreparedStatement ps = target.prepareStatement("SELECT lo_create(?::oid)")) {
                    ps.setLong(1, oid);
                    ps.execute();
                }
                try (LargeObject in = from.open(oid, LargeObjectManager.READ);
                     LargeObject out = to.open(oid, LargeObjectManager.WRITE)) {
                    int n;
                    while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                        out.write(buffer, 0, n);
                    }
                }
                last = oid;
            }
            target.commit();
        } while (batch.size() == BATCH);
    }

    private static List<Long> next(Connection source, long after) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT oid::bigint FROM pg_largeobject_metadata "
                + "WHERE oid::bigint > ? ORDER BY 1 LIMIT " + BATCH)) {
            ps.setLong(1, after);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }
}
