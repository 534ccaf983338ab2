package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code ALTER DATABASE ... SET} and {@code ALTER ROLE ... IN DATABASE ... SET} of the copied database. */
public final class DatabaseSettingsExtractor {
    /** Settings whose value is a list of separately quoted elements (as pg_dump treats them). */
    private static final Set<String> LISTS = Set.of("search_path", "temp_tablespaces", "session_preload_libraries",
            "shared_preload_libraries", "local_preload_libraries", "dynamic_library_path");

    private DatabaseSettingsExtractor() {
    }

    /** One statement setting everything (an empty list when there is nothing to set). */
    static List<DdlStatement> settings(Catalog catalog) throws SQLException {
        String sql = "SELECT current_database(), CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole)::text END, "
                + "c.setting, c.n FROM pg_db_role_setting s, unnest(s.setconfig) WITH ORDINALITY c(setting, n) "
                + "WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 2 NULLS "
                + "FIRST, 4";
        List<DdlStatement> out = new ArrayList<>();
        catalog.query(sql, rs -> {
            String role = rs.getString(2);
            String setting = rs.getString(3);
            int eq = setting.indexOf('=');
            String name = setting.substring(0, eq);
            String display = "setting " + name + (role == null ? "" : " of role " + role) + " in database " + rs.getString(1);
            if (!catalog.targetHasRole(role)) {
                catalog.warn(display + " is not copied: role " + role + " does not exist on the target");
                return null;
            }
            // a placeholder (name with a dot) is accepted anywhere; a parameter the target lacks would fail the replay
            if (!name.contains(".") && !catalog.options().targetSettings().contains(name.toLowerCase(java.util.Locale.ROOT))) {
                catalog.warn(display + " is not copied: the target does not know parameter " + name);
                return null;
            }
            String head = role == null ? "ALTER DATABASE " + Sql.ident(rs.getString(1))
                    : "ALTER ROLE " + Sql.ident(role) + " IN DATABASE " + Sql.ident(rs.getString(1));
            out.add(new DdlStatement(display, head + " SET " + Sql.ident(name) + " TO " + value(name, setting.substring(eq + 1))));
            return null;
        });
        // one statement: settings of the same database (and role) share a catalog row, so they cannot run in parallel
        return out.isEmpty() ? out : List.of(new DdlStatement("settings of database " + out.get(0).object()
                .replaceFirst(".* in database ", ""), String.join(";\n", out.stream().map(DdlStatement::sql).toList())));
    }

    /** {@code value} of parameter {@code name} as the right-hand side of {@code SET name TO ...}. */
    public static String value(String name, String value) {
        if (!LISTS.contains(name)) {
            return Sql.literal(value);
        }
        List<String> elements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : value.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                elements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        elements.add(current.toString().strip());
        return String.join(", ", elements.stream().map(Sql::literal).toList());
    }
}
