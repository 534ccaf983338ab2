package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.QualifiedName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which extension configuration tables ({@code pg_extension_config_dump}) the publication carries. The copy adds
 * their filtered rows at the snapshot, as pg_dump does; so that the target does not drift from the source silently
 * afterwards, every later change to them streams like any table's (a publication takes an extension's table as it
 * takes any other). A table that cannot be published safely is left out with a warning naming it: an unlogged one
 * (never published) and one without a key or replica identity (publishing it would make UPDATE and DELETE fail on
 * the source, in the extension's own code), unless the migration may set REPLICA IDENTITY FULL. Stateless.
 */
final class ConfigTablePublication {
    private static final Logger log = LoggerFactory.getLogger(ConfigTablePublication.class);

    /**
     * Schema, name, logged, and keyless: no identity UPDATE and DELETE could be published with (a default identity
     * without a primary key, an index identity whose index is gone, or NOTHING).
     */
    private static final String CONFIG_TABLES = "SELECT n.nspname, c.relname, c.relpersistence = 'p', "
            + "c.relreplident = 'n' OR c.relreplident = 'd' AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE "
            + "i.indrelid = c.oid AND i.indisprimary) OR c.relreplident = 'i' AND NOT EXISTS (SELECT 1 FROM pg_index i "
            + "WHERE i.indrelid = c.oid AND i.indisreplident) FROM pg_extension x JOIN pg_class c ON c.oid = ANY "
            + "(x.extconfig) JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND NOT "
            + "c.relispartition AND c.relpersistence <> 't' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2";

    private ConfigTablePublication() {
    }

    /**
     * @param identityFull whether tables without a key may be published (they get REPLICA IDENTITY FULL with the
     *                     others, as the migration was allowed)
     * @param warn         hears of each table left out, once per call
     * @return the configuration tables to publish, outside {@code excludedSchemas}
     */
    static List<QualifiedName> tables(Connection c, Set<String> excludedSchemas, boolean identityFull,
                                      String database, Consumer<String> warn) throws SQLException {
        List<QualifiedName> published = new ArrayList<>();
        List<QualifiedName> unlogged = new ArrayList<>();
        List<QualifiedName> keyless = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(CONFIG_TABLES)) {
                while (rs.next()) {
                    if (!excludedSchemas.contains(rs.getString(1))) {
                        (!rs.getBoolean(3) ? unlogged : rs.getBoolean(4) ? keyless : published)
                                .add(QualifiedName.read(rs, 1));
                    }
                }
            }
            if (identityFull) {
                for (QualifiedName t : keyless) {
                    log.warn("setting REPLICA IDENTITY FULL on source table {} of {} (an extension's configuration "
                            + "table), as allowed", t.display(), database);
                    st.execute("ALTER TABLE " + t.sql() + " REPLICA IDENTITY FULL");
                }
                published.addAll(keyless);
                keyless.clear();
            }
        }
        unlogged.forEach(t -> warn.accept(notStreamed(database, t, "it is unlogged, and logical replication "
                + "carries no unlogged table")));
        keyless.forEach(t -> warn.accept(notStreamed(database, t, "it has no primary key or replica identity, so "
                + "publishing it would make its UPDATE and DELETE fail on the source; run ALTER TABLE " + t.sql()
                + " REPLICA IDENTITY FULL on the source, or allow the migration to (setReplicaIdentityFull), and "
                + "start again to stream them")));
        return published;
    }

    private static String notStreamed(String database, QualifiedName table, String why) {
        return "database " + database + ": extension configuration table " + table.display() + " is copied as "
                + "it is at the snapshot, but its later changes are not streamed: " + why;
    }
}
