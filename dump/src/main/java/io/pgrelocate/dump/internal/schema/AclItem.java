package io.pgrelocate.dump.internal.schema;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * One ACL item as {@code aclexplode} gives it, read from separate columns (never from text packed on the server):
 * grantor and grantee role names ({@code grantee} null for PUBLIC), the privilege as one keyword of a fixed
 * whitelist, and whether it is grantable. Catalog text can therefore never become GRANT syntax.
 */
record AclItem(String grantor, String grantee, String privilege, boolean grantable) {
    /** Every privilege keyword {@code aclexplode} reports, up to PostgreSQL 18. */
    private static final Set<String> KEYWORDS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE",
            "REFERENCES", "TRIGGER", "EXECUTE", "USAGE", "CREATE", "CONNECT", "TEMPORARY", "SET", "ALTER SYSTEM",
            "MAINTAIN");

    /**
     * SQL select-list over {@code aclexplode(acl) x}: {@code grantor, grantee, privilege_type, is_grantable}, the
     * roles by name and a PUBLIC grantee as NULL; read back by {@link #read}.
     */
    static final String COLUMNS = "pg_get_userbyid(x.grantor)::text, CASE WHEN x.grantee = 0 THEN NULL "
            + "ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, x.is_grantable";

    AclItem {
        if (!KEYWORDS.contains(privilege)) {
            throw new IllegalStateException("unknown privilege in an ACL: " + privilege);
        }
    }

    /** The item in {@link #COLUMNS} starting at column {@code first} of {@code rs}. */
    static AclItem read(ResultSet rs, int first) throws SQLException {
        return new AclItem(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2),
                rs.getBoolean(first + 3));
    }

    /** This item with the role {@code from} (the source's owner) read as {@code to} (the target's). */
    AclItem ownerAs(String from, String to) {
        return new AclItem(from.equals(grantor) ? to : grantor, from.equals(grantee) ? to : grantee, privilege,
                grantable);
    }
}
