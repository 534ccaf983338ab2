package io.pgrelocate.dump.internal.schema;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** Functions and procedures, recreated from {@code pg_get_functiondef}. */
final class FunctionExtractor {
    static final long PG_PROC = 1255;

    private FunctionExtractor() {
    }

    static List<CatalogObject> functions(Catalog catalog) throws SQLException {
        String sql = "SELECT p.oid, p.oid::regprocedure::text, pg_get_functiondef(p.oid) FROM pg_proc p "
                + "WHERE p.prokind IN ('f', 'p', 'w') AND " + Catalog.userSchema("p.pronamespace") + " AND "
                + Catalog.notExtensionMember("pg_proc", "p.oid") + " AND "
                + Catalog.notInternal("pg_proc", "p.oid") + " ORDER BY 2";
        return catalog.query(sql, rs -> new CatalogObject(ObjectKind.FUNCTION, "function " + rs.getString(2),
                List.of(rs.getString(3)), Set.of(new CatalogKey(PG_PROC, rs.getLong(1)))));
    }
}
