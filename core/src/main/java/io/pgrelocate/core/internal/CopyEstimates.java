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
 * {@code reltuples} and sizes its per-table progress reports.
 */
final class CopyEstimates {
    // pg_table_size locks its table until the statement ends: measured only for as many tables as the copy locks
    // (the biggest, an eighth of the lock table, as dump's TableLocks), estimated from the catalog for the others
    private static final String SQL = "WITH t AS (SELECT c.oid, c.reltuples, c.relpages, c.reltoastrelid, "
            + "row_number() OVER (ORDER BY c.relpages DESC, c.reltuples DESC) AS r FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
            + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
            + "AND n.nspname NOT LIKE 'pg\\_temp%' AND n.nspname <> ? "
            + "AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass "
            + "AND e.objid = c.oid AND e.deptype = 'e')) "
            + "SELECT count(*)::int, COALESCE(sum(GREATEST(t.reltuples, 0)), 0)::bigint, COALESCE(sum(CASE WHEN t.r <= "
            + "current_setting('max_locks_per_transaction')::bigint * (current_setting('max_connections')::bigint "
            + "+ current_setting('max_prepared_transactions')::bigint) / 8 THEN pg_table_size(t.oid) "
            + "ELSE (t.relpages::bigint + COALESCE((SELECT x.relpages FROM pg_class x WHERE x.oid = t.reltoastrelid), 0)) "
            + "* current_setting('block_size')::bigint END), 0)::bigint FROM t";

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
