package io.pgrelocate.core.internal.roles;

import io.pgrelocate.core.RoleSelection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the roles a migration brings along from the source's shared catalogs (any database of the source
 * will do). Reserved roles ({@code pg_*}) are never among them. Thread-safe (stateless).
 */
public final class RoleReader {
    private static final String ROLES = "SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, "
            + "r.rolcanlogin, r.rolreplication, r.rolbypassrls, r.rolconnlimit, CASE WHEN r.rolvaliduntil IS NULL THEN NULL "
            + "WHEN isfinite(r.rolvaliduntil) THEN to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
            + "|| '+00' ELSE r.rolvaliduntil::text END, shobj_description(r.oid, 'pg_authid'), "
            + "(SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) "
            + "FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY 1";
    /** Every role a selected database names: owners, ACL grantees, policy roles (pg_shdepend), settings. */
    private static final String NAMED = "WITH dbs AS (SELECT oid FROM pg_database WHERE datname = ANY (?)) "
            + "SELECT d.refobjid FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass "
            + "AND (d.dbid IN (SELECT oid FROM dbs) OR d.classid = 'pg_database'::regclass AND d.objid IN (SELECT oid FROM dbs)) "
            + "UNION SELECT datdba FROM pg_database WHERE oid IN (SELECT oid FROM dbs) "
            + "UNION SELECT setrole FROM pg_db_role_setting WHERE setrole <> 0 AND setdatabase IN (SELECT oid FROM dbs)";

    private RoleReader() {
    }

    /** The roles {@code selection} asks for, for the source databases {@code databases}. */
    public static SourceRoles read(Connection source, List<String> databases, RoleSelection selection)
            throws SQLException {
        int major = major(source);
        List<Membership> memberships = memberships(source, major);
        if (selection == RoleSelection.NONE) {
            return new SourceRoles(List.of(), memberships, false, major);
        }
        boolean readable = verifiersReadable(source);
        Map<String, String> verifiers = readable ? verifiers(source) : Map.of();
        List<SourceRole> all = roles(source, verifiers);
        if (selection == RoleSelection.ALL) {
            return new SourceRoles(all, memberships, readable, major);
        }
        Set<String> needed = closure(named(source, databases), memberships);
        return new SourceRoles(all.stream().filter(r -> needed.contains(r.name())).toList(), memberships, readable,
                major);
    }

    /**
     * The named roles, their members (transitively), then every role those belong to (transitively), then the
     * grantors (16+) of those roles' memberships with every role they belong to, until nothing new comes: a grant
     * must be made {@code GRANTED BY} its grantor to arrive as it is, and the grantor needs its own ADMIN
     * membership for that. (Object privileges need nothing of the kind: {@code pg_shdepend} records an ACL's
     * grantors as well as its grantees, so {@link #named} has them already.)
     */
    static Set<String> closure(Set<String> named, List<Membership> memberships) {
        Set<String> out = reach(reach(named, memberships, false), memberships, true);
        Set<String> grantors = grantors(out, memberships);
        while (!out.containsAll(grantors)) {
            out.addAll(reach(grantors, memberships, true));
            grantors = grantors(out, memberships);
        }
        return out;
    }

    private static Set<String> grantors(Set<String> members, List<Membership> memberships) {
        Set<String> out = new TreeSet<>();
        for (Membership m : memberships) {
            if (m.grantor() != null && members.contains(m.member()) && !m.grantor().startsWith("pg_")) {
                out.add(m.grantor());
            }
        }
        return out;
    }

    private static Set<String> reach(Set<String> start, List<Membership> memberships, boolean upwards) {
        Set<String> out = new TreeSet<>(start);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Membership m : memberships) {
                String from = upwards ? m.member() : m.role();
                String to = upwards ? m.role() : m.member();
                if (out.contains(from) && !to.startsWith("pg_") && out.add(to)) {
                    grew = true;
                }
            }
        }
        return out;
    }

    private static int major(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10000;
        }
    }

    private static boolean verifiersReadable(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT has_table_privilege('pg_catalog.pg_authid', 'SELECT')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static Map<String, String> verifiers(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT rolname, rolpassword FROM pg_catalog.pg_authid WHERE rolpassword IS NOT NULL")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static List<SourceRole> roles(Connection c, Map<String, String> verifiers) throws SQLException {
        List<SourceRole> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(ROLES)) {
            while (rs.next()) {
                String name = rs.getString(1);
                out.add(new SourceRole(name, rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5),
                        rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8), rs.getInt(9), rs.getString(10),
                        verifiers.get(name), rs.getString(11), strings(rs.getArray(12))));
            }
        }
        return out;
    }

    private static List<Membership> memberships(Connection c, int major) throws SQLException {
        String options = major >= 16 ? "m.inherit_option, m.set_option, (SELECT g.rolname FROM pg_roles g WHERE "
                + "g.oid = m.grantor AND g.oid <> 10)" : "NULL::boolean, NULL::boolean, NULL::name";
        String sql = "SELECT r.rolname, u.rolname, m.admin_option, " + options + " FROM pg_auth_members m "
                + "JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member ORDER BY 1, 2, 6 NULLS FIRST";
        List<Membership> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new Membership(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        (Boolean) rs.getObject(4), (Boolean) rs.getObject(5), rs.getString(6)));
            }
        }
        return out;
    }

    private static Set<String> named(Connection c, List<String> databases) throws SQLException {
        Set<String> out = new HashSet<>();
        String sql = "SELECT rolname FROM pg_roles WHERE oid IN (" + NAMED + ") AND rolname !~ '^pg_'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", databases.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
