package io.pgrelocate.dump.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.ClusterInspector;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Prepares the target database for one source database: creates it with the same encoding (and locale
 * where the target has it), or checks the existing one. Warnings go to {@code warn}.
 */
public final class TargetDatabase {
    private static final Logger log = LoggerFactory.getLogger(TargetDatabase.class);

    private final PgConnector target;
    private final DatabaseInfo source;
    private final Consumer<String> warn;

    public TargetDatabase(PgConnector target, DatabaseInfo source, Consumer<String> warn) {
        this.target = target;
        this.source = source;
        this.warn = warn;
    }

    /** The target's database of the same name, if there is one. */
    public Optional<DatabaseInfo> existing() {
        try (Connection c = target.open("prepare")) {
            return ClusterInspector.databases(c).stream().filter(d -> d.name().equals(source.name())).findFirst();
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.CONNECTION_FAILED, "cannot list the target's databases", e);
        }
    }

    /** Drops the target database (one this migration created and must copy again). */
    public void drop() {
        try (Connection c = target.open("prepare"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + Sql.ident(source.name()) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot drop target database " + source.name()
                    + " to copy it again", e);
        }
    }

    /**
     * Makes sure the target database exists and may receive the copy.
     *
     * @param stateSchema   pgrelocate's own schema, which does not count as content
     * @param allowNonEmpty whether a database that already holds tables is acceptable
     */
    public void prepare(String stateSchema, boolean allowNonEmpty) {
        Optional<DatabaseInfo> existing = existing();
        if (existing.isEmpty()) {
            create();
            return;
        }
        compareLocale(existing.get());
        List<QualifiedName> tables = userTables(stateSchema);
        if (!tables.isEmpty() && !allowNonEmpty) {
            throw new PgRelocateException(ErrorCode.STATE_CONFLICT, "target database " + source.name()
                    + " already holds " + tables.size() + " table(s) (" + tables.subList(0, Math.min(5, tables.size())).stream()
                    .map(QualifiedName::display).collect(java.util.stream.Collectors.joining(", ")) + (tables.size() > 5 ? ", ..." : "") + "); drop it, ignore this "
                    + "database, or allow a non-empty target explicitly");
        }
    }

    private void create() {
        String name = Sql.ident(source.name());
        String withLocale = "CREATE DATABASE " + name + " TEMPLATE template0 ENCODING " + Sql.literal(source.encoding())
                + localeClause();
        try (Connection c = target.open("prepare"); Statement st = c.createStatement()) {
            try {
                st.execute(withLocale);
            } catch (SQLException e) {
                log.debug("creating {} with the source's locale failed: {}", source.name(), e.getMessage());
                st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING " + Sql.literal(source.encoding()));
                DatabaseInfo made = existing().orElseThrow();
                warn.accept("database " + source.name() + ": the target cannot use the source's locale ("
                        + source.localeDescription() + ": " + PgErrors.firstLine(e.getMessage()) + "); created with "
                        + made.localeDescription() + ", so text may sort differently");
            }
            if (roleExists(c, source.owner())) {
                giveTo(st, name);
            } else {
                warn.accept("database " + source.name() + ": owner role " + source.owner()
                        + " does not exist on the target; the database is owned by " + target.endpoint().user());
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot create target database " + source.name(), e);
        }
    }

    /**
     * Hands the new database to the source's owner role. A role without superuser may do that only for a
     * role it is a member of (on 16+: may SET ROLE to); otherwise the database stays the migration role's.
     */
    private void giveTo(Statement st, String name) throws SQLException {
        try {
            st.execute("ALTER DATABASE " + name + " OWNER TO " + Sql.ident(source.owner()));
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            warn.accept("database " + source.name() + ": ownership left with " + target.endpoint().user() + ": it may "
                    + "not make " + source.owner() + " the owner (" + PgErrors.firstLine(e.getMessage()) + "); run "
                    + "ALTER DATABASE " + name + " OWNER TO " + Sql.ident(source.owner()) + " as a superuser if needed");
        }
    }

    private String localeClause() {
        StringBuilder sb = new StringBuilder(" LC_COLLATE ").append(Sql.literal(source.collate()))
                .append(" LC_CTYPE ").append(Sql.literal(source.ctype()));
        if ("i".equals(source.localeProvider()) && source.locale() != null) {
            sb.append(" LOCALE_PROVIDER icu ICU_LOCALE ").append(Sql.literal(source.locale()));
        } else if ("b".equals(source.localeProvider()) && source.locale() != null) {
            sb.append(" LOCALE_PROVIDER builtin BUILTIN_LOCALE ").append(Sql.literal(source.locale()));
        }
        return sb.toString();
    }

    private void compareLocale(DatabaseInfo existing) {
        if (!Objects.equals(existing.encoding(), source.encoding())) {
            warn.accept("database " + source.name() + ": encoding differs (source " + source.encoding() + ", target "
                    + existing.encoding() + ")");
        }
        if (!existing.localeDescription().equals(source.localeDescription())) {
            warn.accept("database " + source.name() + ": locale differs (source " + source.localeDescription() + ", target "
                    + existing.localeDescription() + "), so text may sort differently");
        }
    }


    private List<QualifiedName> userTables(String stateSchema) {
        String sql = "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f', 'm') AND n.nspname NOT IN "
                + "('pg_catalog', 'information_schema') AND n.nspname <> ? AND n.nspname NOT LIKE 'pg_toast%' "
                + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
                + "AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1, 2";
        try (Connection c = target.open(source.name(), "prepare"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, stateSchema);
            List<QualifiedName> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(QualifiedName.read(rs, 1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.CONNECTION_FAILED, "cannot inspect target database " + source.name(), e);
        }
    }

    private static boolean roleExists(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
