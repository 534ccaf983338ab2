package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Row-level security policies (no pg_get_policydef exists: assembled from pg_policy). */
final class PolicyExtractor {
    private PolicyExtractor() {
    }

    static List<DdlStatement> policies(Catalog catalog) throws SQLException {
        String sql = "SELECT n.nspname, t.relname, p.polname, p.polpermissive, p.polcmd::text, "
                + "ARRAY(SELECT CASE WHEN r = 0 THEN NULL ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r), "
                + "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_policy p "
                + "JOIN pg_class t ON t.oid = p.polrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE "
                + Catalog.userSchema("t.relnamespace") + " AND " + Catalog.notExtensionMember("pg_class", "t.oid")
                + " ORDER BY 1, 2, 3";
        List<DdlStatement> out = new ArrayList<>();
        catalog.query(sql, rs -> {
            String display = "policy " + rs.getString(3) + " on " + rs.getString(1) + "." + rs.getString(2);
            List<String> roles = Arrays.asList((String[]) rs.getArray(6).getArray());
            List<String> missing = roles.stream().filter(r -> !catalog.targetHasRole(r)).toList();
            if (!missing.isEmpty()) {
                catalog.warn(display + " is not copied: role(s) " + String.join(", ", missing)
                        + " do not exist on the target");
                return null;
            }
            String cmd = switch (rs.getString(5)) {
                case "r" -> "SELECT";
                case "a" -> "INSERT";
                case "w" -> "UPDATE";
                case "d" -> "DELETE";
                default -> "ALL";
            };
            StringBuilder ddl = new StringBuilder("CREATE POLICY ").append(Sql.ident(rs.getString(3))).append(" ON ")
                    .append(Sql.qualified(rs.getString(1), rs.getString(2)))
                    .append(rs.getBoolean(4) ? " AS PERMISSIVE" : " AS RESTRICTIVE").append(" FOR ").append(cmd)
                    .append(" TO ").append(String.join(", ", roles.stream()
                            .map(r -> r == null ? "PUBLIC" : Sql.ident(r)).toList()));
            if (rs.getString(7) != null) {
                ddl.append(" USING (").append(rs.getString(7)).append(')');
            }
            if (rs.getString(8) != null) {
                ddl.append(" WITH CHECK (").append(rs.getString(8)).append(')');
            }
            out.add(new DdlStatement(display, ddl.toString()));
            return null;
        });
        return out;
    }
}
