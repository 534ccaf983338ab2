package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GRANT / REVOKE for every copied object with explicit privileges (column privileges too): the target's
 * defaults are revoked, then the source's ACL items are granted in their order, by their grantor, so that the
 * target's ACL equals the source's. Items naming a role the target lacks are skipped and named in a warning.
 */
final class PrivilegeExtractor {
    private PrivilegeExtractor() {
    }

    /** One ACL item as aclexplode gives it: grantor, grantee (null for PUBLIC), privilege, grantable. */
    private record Item(String grantor, String grantee, String privilege, boolean grantable) {
    }

    static List<DdlStatement> privileges(Catalog catalog) throws SQLException {
        String explode = "ARRAY(SELECT format('%s|%s|%s|%s', pg_get_userbyid(x.grantor), CASE WHEN x.grantee = 0 THEN '' "
                + "ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, x.is_grantable) FROM aclexplode(%s) "
                + "WITH ORDINALITY x(grantor, grantee, privilege_type, is_grantable, n) ORDER BY x.n)";
        String sql = "SELECT i.type, " + ObjectAddresses.target("o.classid", "o.objid", "i") + ", pg_get_userbyid(o.owner), "
                + "o.classid = 'pg_type'::regclass AND (SELECT typtype FROM pg_type WHERE oid = o.objid) = 'd', "
                + "CASE WHEN o.acl IS NOT NULL THEN " + explode.replace("%s)", "o.acl)") + " END, "
                + "ARRAY(SELECT quote_ident(a.attname) FROM pg_attribute a WHERE o.classid = 'pg_class'::regclass "
                + "AND a.attrelid = o.objid AND a.attacl IS NOT NULL AND NOT a.attisdropped ORDER BY a.attnum), "
                + "ARRAY(SELECT array_to_string(" + explode.replace("%s)", "a.attacl)") + ", ';') FROM pg_attribute a "
                + "WHERE o.classid = 'pg_class'::regclass AND a.attrelid = o.objid AND a.attacl IS NOT NULL "
                + "AND NOT a.attisdropped ORDER BY a.attnum), " + ObjectAddresses.INITDB_PUBLIC + " "
                + "FROM (" + ObjectAddresses.OWNED + ") o, LATERAL pg_identify_object(o.classid, o.objid, 0) i WHERE "
                + ObjectAddresses.copied("o.classid", "o.objid", "i") + " AND (o.acl IS NOT NULL OR EXISTS (SELECT 1 "
                + "FROM pg_attribute a WHERE o.classid = 'pg_class'::regclass AND a.attrelid = o.objid "
                + "AND a.attacl IS NOT NULL)) ORDER BY 1, 2";
        List<DdlStatement> out = new ArrayList<>();
        catalog.query(sql, rs -> {
            String type = rs.getString(1);
            String object = type + " " + rs.getString(2);
            String owner = rs.getString(3);
            if (!catalog.targetHasRole(owner)) {
                return null;
            }
            // what the source's initdb owner of public held, the target's initdb owner of public holds
            String targetOwner = rs.getBoolean(8) && catalog.options().targetVersionNum() >= 150000
                    ? "pg_database_owner" : owner;
            String on = " ON " + ObjectAddresses.grantKeyword(type, rs.getBoolean(4)) + " " + rs.getString(2);
            List<String> sql1 = new ArrayList<>();
            if (rs.getArray(5) != null) {
                sql1.add("REVOKE ALL" + on + " FROM PUBLIC");
                sql1.add("REVOKE ALL" + on + " FROM " + Sql.ident(targetOwner));
                grants(catalog, object, targetOwner, "", on, items((String[]) rs.getArray(5).getArray(), owner,
                        targetOwner), sql1);
            }
            String[] columns = (String[]) rs.getArray(6).getArray();
            String[] columnAcls = (String[]) rs.getArray(7).getArray();
            for (int c = 0; c < columns.length; c++) {
                grants(catalog, object + "." + columns[c], targetOwner, " (" + columns[c] + ")", on,
                        items(columnAcls[c].split(";"), owner, targetOwner), sql1);
            }
            out.add(new DdlStatement("privileges on " + object, String.join(";\n", sql1)));
            return null;
        });
        return out;
    }

    /** The ACL items of {@code rows}, with the source's owner {@code from} read as the target's {@code to}. */
    private static List<Item> items(String[] rows, String from, String to) {
        List<Item> out = new ArrayList<>();
        for (String row : rows) {
            if (row.isEmpty()) {
                continue;
            }
            String[] f = row.split("\\|", -1);
            String grantee = f[1].isEmpty() ? null : f[1];
            out.add(new Item(f[0].equals(from) ? to : f[0], from.equals(grantee) ? to : grantee, f[2],
                    f[3].startsWith("t")));
        }
        return out;
    }

    /** GRANTs for {@code items}, grouped by grantor and grantee in the order they first appear. */
    private static void grants(Catalog catalog, String object, String owner, String columns, String on, List<Item> items,
                               List<String> out) {
        Map<List<String>, List<Item>> groups = new LinkedHashMap<>();
        for (Item item : items) {
            groups.computeIfAbsent(java.util.Arrays.asList(item.grantor(), item.grantee()), k -> new ArrayList<>())
                    .add(item);
        }
        for (Map.Entry<List<String>, List<Item>> g : groups.entrySet()) {
            String grantor = g.getKey().get(0);
            String grantee = g.getKey().get(1);
            if (!catalog.targetHasRole(grantor) || !catalog.targetHasRole(grantee)) {
                catalog.warn(object + ": privileges granted by " + grantor + " to " + (grantee == null ? "PUBLIC"
                        : grantee) + " are not copied: the role does not exist on the target");
                continue;
            }
            String to = " TO " + (grantee == null ? "PUBLIC" : Sql.ident(grantee));
            List<String> plain = g.getValue().stream().filter(i -> !i.grantable()).map(i -> i.privilege() + columns)
                    .toList();
            List<String> grantable = g.getValue().stream().filter(Item::grantable).map(i -> i.privilege() + columns)
                    .toList();
            boolean asGrantor = !grantor.equals(owner);
            if (asGrantor) {
                out.add("SET ROLE " + Sql.ident(grantor));
            }
            if (!plain.isEmpty()) {
                out.add("GRANT " + String.join(", ", plain) + on + to);
            }
            if (!grantable.isEmpty()) {
                out.add("GRANT " + String.join(", ", grantable) + on + to + " WITH GRANT OPTION");
            }
            if (asGrantor) {
                out.add("RESET ROLE");
            }
        }
    }
}
