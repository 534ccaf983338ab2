package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GRANT / REVOKE for every copied object with explicit privileges (column privileges too): the target's
 * defaults are revoked, then the source's ACL items are granted in their order, by their grantor, so that the
 * target's ACL equals the source's. Items naming a role the target lacks are skipped and named in a warning.
 * ACL items are read one per row, each part in its own column ({@link AclItem}), and column names travel as
 * names, quoted here: no catalog text is ever split or spliced into SQL.
 */
final class PrivilegeExtractor {
    private static final String ITEM = "aclexplode(%s) WITH ORDINALITY e(grantor, grantee, privilege_type, "
            + "is_grantable, n)";
    /** One row per ACL item of the object (attnum 0) and of its columns; one row of NULLs when there is none. */
    private static final String ITEMS = "LEFT JOIN LATERAL (SELECT 0 AS attnum, NULL::name AS attname, e.n, e.grantor, "
            + "e.grantee, e.privilege_type, e.is_grantable FROM " + ITEM.formatted("o.acl") + " UNION ALL SELECT "
            + "a.attnum, a.attname, e.n, e.grantor, e.grantee, e.privilege_type, e.is_grantable FROM pg_attribute a "
            + "CROSS JOIN LATERAL " + ITEM.formatted("a.attacl") + " WHERE o.classid = 'pg_class'::regclass "
            + "AND a.attrelid = o.objid AND a.attacl IS NOT NULL AND NOT a.attisdropped) x ON true";

    private PrivilegeExtractor() {
    }

    /** The ACL of one object: its own items (when it has an ACL at all) and its columns' items, by column name. */
    private static final class ObjectAcl {
        final String type;
        final String object;
        final String owner;
        final boolean domain;
        final boolean initdbPublic;
        final boolean hasAcl;
        final List<AclItem> items = new ArrayList<>();
        final Map<String, List<AclItem>> columns = new LinkedHashMap<>();

        ObjectAcl(ResultSet rs) throws SQLException {
            type = rs.getString(1);
            object = ObjectAddresses.target(rs, 2);
            owner = rs.getString(3);
            domain = rs.getBoolean(4);
            initdbPublic = rs.getBoolean(5);
            hasAcl = rs.getBoolean(6);
        }
    }

    static List<DdlStatement> privileges(Catalog catalog) throws SQLException {
        String sql = "SELECT i.type, " + ObjectAddresses.target("o.classid", "o.objid", "i") + ", "
                + "pg_get_userbyid(o.owner)::text, o.classid = 'pg_type'::regclass AND (SELECT typtype FROM pg_type "
                + "WHERE oid = o.objid) = 'd', " + ObjectAddresses.INITDB_PUBLIC + ", o.acl IS NOT NULL, "
                + "x.attname::text, " + AclItem.COLUMNS + " FROM (" + ObjectAddresses.OWNED + ") o CROSS JOIN LATERAL "
                + "pg_identify_object(o.classid, o.objid, 0) i " + ITEMS + " WHERE "
                + ObjectAddresses.copied("o.classid", "o.objid", "i") + " AND (o.acl IS NOT NULL OR EXISTS (SELECT 1 "
                + "FROM pg_attribute a WHERE o.classid = 'pg_class'::regclass AND a.attrelid = o.objid "
                + "AND a.attacl IS NOT NULL)) ORDER BY 1, 2, x.attnum, x.n";
        Map<List<String>, ObjectAcl> objects = new LinkedHashMap<>();
        catalog.query(sql, rs -> {
            ObjectAcl acl = objects.get(List.of(rs.getString(1), ObjectAddresses.target(rs, 2)));
            if (acl == null) {
                acl = new ObjectAcl(rs);
                objects.put(List.of(acl.type, acl.object), acl);
            }
            if (rs.getString(10) != null) {
                String column = rs.getString(7);
                (column == null ? acl.items : acl.columns.computeIfAbsent(column, k -> new ArrayList<>()))
                        .add(AclItem.read(rs, 8));
            }
            return null;
        });
        List<DdlStatement> out = new ArrayList<>();
        for (ObjectAcl acl : objects.values()) {
            if (catalog.targetHasRole(acl.owner)) {
                out.add(statement(catalog, acl));
            }
        }
        return out;
    }

    /**
     * The privilege statements in two waves: schemas' first, then everything else. A grant made as a grantor
     * other than the owner ({@code SET ROLE grantor; GRANT ...}) names its object through its schema, which needs
     * the grantor's USAGE on that schema; in one parallel wave that USAGE could still be ungranted, the grant
     * refused (42501) and the object's whole ACL left out with a warning.
     */
    static List<List<DdlStatement>> waves(List<DdlStatement> privileges) {
        java.util.function.Predicate<DdlStatement> onSchema = p -> p.object().startsWith("privileges on schema ");
        return List.of(privileges.stream().filter(onSchema).toList(),
                privileges.stream().filter(onSchema.negate()).toList());
    }

    private static DdlStatement statement(Catalog catalog, ObjectAcl acl) {
        String object = acl.type + " " + acl.object;
        // what the source's initdb owner of public held, the target's initdb owner of public holds
        String targetOwner = acl.initdbPublic && catalog.options().targetVersionNum() >= 150000
                ? "pg_database_owner" : acl.owner;
        String on = " ON " + ObjectAddresses.grantKeyword(acl.type, acl.domain) + " " + acl.object;
        List<String> sql = new ArrayList<>();
        if (acl.hasAcl) {
            sql.add("REVOKE ALL" + on + " FROM PUBLIC");
            sql.add("REVOKE ALL" + on + " FROM " + Sql.ident(targetOwner));
            grants(catalog, object, targetOwner, "", on, ownerAs(acl.items, acl.owner, targetOwner), sql);
        }
        for (Map.Entry<String, List<AclItem>> c : acl.columns.entrySet()) {
            grants(catalog, object + "." + Sql.ident(c.getKey()), targetOwner, " (" + Sql.ident(c.getKey()) + ")", on,
                    ownerAs(c.getValue(), acl.owner, targetOwner), sql);
        }
        return new DdlStatement("privileges on " + object, String.join(";\n", sql));
    }

    private static List<AclItem> ownerAs(List<AclItem> items, String from, String to) {
        return items.stream().map(i -> i.ownerAs(from, to)).toList();
    }

    /** GRANTs for {@code items}, grouped by grantor and grantee in the order they first appear. */
    private static void grants(Catalog catalog, String object, String owner, String columns, String on,
                               List<AclItem> items, List<String> out) {
        Map<List<String>, List<AclItem>> groups = new LinkedHashMap<>();
        for (AclItem item : items) {
            groups.computeIfAbsent(Arrays.asList(item.grantor(), item.grantee()), k -> new ArrayList<>()).add(item);
        }
        for (Map.Entry<List<String>, List<AclItem>> g : groups.entrySet()) {
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
            List<String> grantable = g.getValue().stream().filter(AclItem::grantable)
                    .map(i -> i.privilege() + columns).toList();
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
