package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Extended statistics objects, from {@code pg_get_statisticsobjdef}, with their statistics target. */
final class StatisticsExtractor {
    private StatisticsExtractor() {
    }

    static List<CatalogObject> statistics(Catalog catalog) throws SQLException {
        // stxstattarget is -1 for the default up to 16, NULL from 17 on
        String sql = "SELECT s.oid, n.nspname, s.stxname, pg_get_statisticsobjdef(s.oid), "
                + "COALESCE((to_jsonb(s) ->> 'stxstattarget')::int, -1) FROM pg_statistic_ext s JOIN pg_namespace n "
                + "ON n.oid = s.stxnamespace WHERE " + Catalog.userSchema("s.stxnamespace") + " AND "
                + Catalog.notExtensionMember("pg_statistic_ext", "s.oid") + " ORDER BY 2, 3";
        return catalog.query(sql, rs -> {
            List<String> ddl = new ArrayList<>();
            ddl.add(rs.getString(4));
            if (rs.getInt(5) >= 0) {
                ddl.add("ALTER STATISTICS " + Sql.qualified(rs.getString(2), rs.getString(3)) + " SET STATISTICS "
                        + rs.getInt(5));
            }
            return new CatalogObject(ObjectKind.STATISTICS, "statistics " + rs.getString(2) + "." + rs.getString(3), ddl,
                    Set.of(new CatalogKey(CatalogIds.PG_STATISTIC_EXT, rs.getLong(1))));
        });
    }
}
