package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationEvent.DatabaseTotals;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads, per source database, the tables a copy will move and the statistics' estimates of their rows and
 * size: the totals {@code MigrationStarted} carries. The selection is the dump engine's (ordinary tables,
 * partitions included, outside system schemas, the state schema and extensions); the numbers are the same
 * {@code reltuples} and {@code pg_table_size} its per-table progress reports.
 */
final class CopyEstimates {
    private static final String SQL = "SELECT count(*)::int, COALESCE(sum(GREATEST(c.reltuples, 0)), 0)::bigint, "
            + "COALESCE(sum(pg_table_size(c.oid)), 0)::bigint FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
            + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
            + "AND n.nspname NOT LIKE 'pg\\_temp%' AND n.nspname <> ? "
            + "AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass "
            + "AND e.objid = c.oid AND e.deptype = 'e')";

    private CopyEstimates() {
    }

    static List<DatabaseTotals> read(PgConnector source, List<DatabaseInfo> databases, String stateSchema) {
        List<DatabaseTotals> out = new ArrayList<>();
        for (DatabaseInfo db : databases) {
            try (Connection c = source.open(db.name(), "estimate"); PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setString(1, stateSchema);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.add(new DatabaseTotals(db.name(), rs.getInt(1), rs.getLong(2), rs.getLong(3)));
                }
            } catch (SQLException e) {
                throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the table statistics of source database "
                        + db.name(), e);
            }
        }
        return out;
    }
}
