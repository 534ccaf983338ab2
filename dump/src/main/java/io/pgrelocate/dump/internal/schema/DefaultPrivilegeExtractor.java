package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ALTER DEFAULT PRIVILEGES, where the roles they name exist on the target (the others are named in a warning).
 * A global entry replaces the built-in defaults, so those are revoked first; a per-schema entry only adds.
 * Each ACL item is read as its own row with each part in its own column ({@link AclItem}).
 */
final class DefaultPrivilegeExtractor {
    private DefaultPrivilegeExtractor() {
    }

    /** One pg_default_acl entry: whose, where (null: every schema), on what kind, and its items. */
    private record Entry(String role, String schema, String kind, List<AclItem> items) {
    }

    static List<DdlStatement> defaultPrivileges(Catalog catalog) throws SQLException {
        String sql = "SELECT pg_get_userbyid(d.defaclrole)::text, n.nspname::text, d.defaclobjtype::text, "
                + AclItem.COLUMNS + " FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace "
                + "LEFT JOIN LATERAL aclexplode(d.defaclacl) WITH ORDINALITY x(grantor, grantee, privilege_type, "
                + "is_grantable, ord) ON true WHERE " + Catalog.copiedSchemaName("n.nspname")
                + " ORDER BY 1, 2 NULLS FIRST, 3, x.ord";
        Map<List<String>, Entry> entries = new LinkedHashMap<>();
        catalog.query(sql, rs -> {
            Entry e = entries.computeIfAbsent(Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3)),
                    k -> new Entry(k.get(0), k.get(1), kind(k.get(2)), new ArrayList<>()));
            if (rs.getString(6) != null) {
                e.items().add(AclItem.read(rs, 4));
            }
            return null;
        });
        List<DdlStatement> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            statement(catalog, e, out);
        }
        return out;
    }

    /** The keyword of a {@code pg_default_acl.defaclobjtype}. */
    private static String kind(String objtype) {
        return switch (objtype) {
            case "r" -> "TABLES";
            case "S" -> "SEQUENCES";
            case "f" -> "FUNCTIONS";
            case "T" -> "TYPES";
            case "n" -> "SCHEMAS";
            case "L" -> "LARGE OBJECTS";
            default -> throw new IllegalStateException("unknown kind of default privileges: " + objtype);
        };
    }

    private static void statement(Catalog catalog, Entry e, List<DdlStatement> out) {
        String display = "default privileges of " + e.role() + " on " + e.kind().toLowerCase(Locale.ROOT)
                + (e.schema() == null ? "" : " in schema " + e.schema());
        if (!catalog.targetHasRole(e.role())) {
            catalog.warn(display + " are not copied: role " + e.role() + " does not exist on the target");
            return;
        }
        String head = "ALTER DEFAULT PRIVILEGES FOR ROLE " + Sql.ident(e.role())
                + (e.schema() == null ? "" : " IN SCHEMA " + Sql.ident(e.schema())) + " ";
        List<String> sql = new ArrayList<>();
        if (e.schema() == null) {
            sql.add(head + "REVOKE ALL ON " + e.kind() + " FROM PUBLIC");
            sql.add(head + "REVOKE ALL ON " + e.kind() + " FROM " + Sql.ident(e.role()));
        }
        for (AclItem item : e.items()) {
            if (!catalog.targetHasRole(item.grantee())) {
                catalog.warn(display + ": " + item.privilege() + " for " + item.grantee() + " is not copied: the role "
                        + "does not exist on the target");
                continue;
            }
            sql.add(head + "GRANT " + item.privilege() + " ON " + e.kind() + " TO "
                    + (item.grantee() == null ? "PUBLIC" : Sql.ident(item.grantee()))
                    + (item.grantable() ? " WITH GRANT OPTION" : ""));
        }
        out.add(new DdlStatement(display, String.join(";\n", sql)));
    }
}
