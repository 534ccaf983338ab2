package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.QualifiedName;

import java.sql.SQLException;

/**
 * Source objects the extractor does not reproduce, each reported by name before the copy starts: subscriptions
 * (not copied by design), and tablespaces (objects are created in the target's default
 * tablespace).
 */
final class UnsupportedObjects {
    private UnsupportedObjects() {
    }

    static void report(Catalog catalog) throws SQLException {
        // not copied: pg_dump reads subscriptions only as a superuser and recreates them disabled, without their slot
        // (connect = false), for someone to point and enable by hand; a working copy on the target would pull from the
        // source's publisher alongside the source itself. Whether and when to subscribe the target is the user's call.
        catalog.query("SELECT s.subname FROM pg_subscription s WHERE s.subdbid = (SELECT oid FROM pg_database WHERE "
                + "datname = current_database()) ORDER BY 1", rs -> warn(catalog, "subscription " + rs.getString(1)
                + " is not copied (subscriptions never are)"));
        catalog.query("SELECT n.nspname, c.relname, s.spcname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace JOIN pg_tablespace s ON s.oid = c.reltablespace WHERE c.relkind IN "
                + "('r', 'p', 'm', 'i', 'I') AND " + Catalog.userSchema("c.relnamespace") + " ORDER BY 1, 2",
                rs -> warn(catalog, "relation " + QualifiedName.read(rs, 1).display() + " is in tablespace " + rs.getString(3)
                        + " on the source; it is created in the target database's default tablespace"));
    }

    private static Void warn(Catalog catalog, String message) {
        catalog.warn(message);
        return null;
    }
}
