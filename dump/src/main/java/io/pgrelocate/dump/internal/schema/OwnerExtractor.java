package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ALTER ... OWNER TO} for every copied object whose owner exists on the target; objects of other owners
 * are named in a warning and stay owned by the migrating role.
 */
final class OwnerExtractor {
    private OwnerExtractor() {
    }

    static List<DdlStatement> owners(Catalog catalog) throws SQLException {
        // identity and serial (OWNED BY) sequences follow their table; ALTER SEQUENCE ... OWNER TO is refused on them
        String sql = "SELECT i.type, " + ObjectAddresses.target("o.classid", "o.objid", "i") + ", pg_get_userbyid(o.owner) "
                + "FROM (" + ObjectAddresses.OWNED + ") o, LATERAL pg_identify_object(o.classid, o.objid, 0) i WHERE "
                + ObjectAddresses.copied("o.classid", "o.objid", "i") + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
                + "d.classid = o.classid AND d.objid = o.objid "
                + "AND (d.deptype = 'i' OR d.deptype = 'a' AND i.type = 'sequence' AND d.refclassid = 'pg_class'::regclass)) "
                + "AND NOT " + ObjectAddresses.INITDB_PUBLIC + " ORDER BY 1, 2";
        List<DdlStatement> out = new ArrayList<>();
        catalog.query(sql, rs -> {
            String owner = rs.getString(3);
            String object = rs.getString(1) + " " + ObjectAddresses.target(rs, 2);
            if (!catalog.targetHasRole(owner)) {
                catalog.warn(object + ": owner role " + owner + " does not exist on the target; it is owned by the "
                        + "migrating role instead, and its privileges are not copied");
                return null;
            }
            out.add(new DdlStatement("owner of " + object, "ALTER " + ObjectAddresses.keyword(rs.getString(1)) + " "
                    + ObjectAddresses.target(rs, 2) + " OWNER TO " + Sql.ident(owner)));
            return null;
        });
        return out;
    }
}
