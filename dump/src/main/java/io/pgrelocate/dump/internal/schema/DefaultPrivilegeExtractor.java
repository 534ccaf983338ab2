package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * ALTER DEFAULT PRIVILEGES, where the roles they name exist on the target (the others are named in a warning).
 * A global entry replaces the built-in defaults, so those are revoked first; a per-schema entry only adds.
 */
final class DefaultPrivilegeExtractor {
    private DefaultPrivilegeExtractor() {
    }

    static List<DdlStatement> defaultPrivileges(Catalog catalog) throws SQLException {
        String sql = "SELECT pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype::text, ARRAY(SELECT format('%s|%s|%s', "
                + "CASE WHEN x.grantee = 0 THEN '' ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, "
                + "x.is_grantable) FROM aclexplode(d.defaclacl) WITH ORDINALITY x(grantor, grantee, privilege_type, "
                + "is_grantable, n) ORDER BY x.n) FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = "
                + "d.defaclnamespace WHERE " + Catalog.copiedSchemaName("n.nspname") + " ORDER BY 1, 2 NULLS FIRST, 3";
        List<DdlStatement> out = new ArrayList<>();
        catalog.query(sql, rs -> {
            String role = rs.getString(1);
            String schema = rs.getString(2);
            String kind = switch (rs.getString(3)) {
                case "r" -> "TABLES";
                case "S" -> "SEQUENCES";
                case "f" -> "FUNCTIONS";
                case "T" -> "TYPES";
                case "n" -> "SCHEMAS";
                default -> "LARGE OBJECTS";
            };
            String display = "default privileges of " + role + " on " + kind.toLowerCase(java.util.Locale.ROOT)
                    + (schema == null ? "" : " in schema " + schema);
            if (!catalog.targetHasRole(role)) {
                catalog.warn(display + " are not copied: role " + role + " does not exist on the target");
                return null;
            }
            String head = "ALTER DEFAULT PRIVILEGES FOR ROLE " + Sql.ident(role)
                    + (schema == null ? "" : " IN SCHEMA " + Sql.ident(schema)) + " ";
            List<String> sql1 = new ArrayList<>();
            if (schema == null) {
                sql1.add(head + "REVOKE ALL ON " + kind + " FROM PUBLIC");
                sql1.add(head + "REVOKE ALL ON " + kind + " FROM " + Sql.ident(role));
            }
            for (String item : (String[]) rs.getArray(4).getArray()) {
                String[] f = item.split("\\|", -1);
                String grantee = f[0].isEmpty() ? null : f[0];
                if (!catalog.targetHasRole(grantee)) {
                    catalog.warn(display + ": " + f[1] + " for " + grantee + " is not copied: the role does not exist "
                            + "on the target");
                    continue;
                }
                sql1.add(head + "GRANT " + f[1] + " ON " + kind + " TO " + (grantee == null ? "PUBLIC" : Sql.ident(grantee))
                        + (f[2].startsWith("t") ? " WITH GRANT OPTION" : ""));
            }
            out.add(new DdlStatement(display, String.join(";\n", sql1)));
            return null;
        });
        return out;
    }
}
