package io.pgrelocate.dump.internal;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Which schema statements may be left out, with a warning, when the target role lacks the privilege for
 * them: on managed services nobody is superuser, so ownership by roles the migration role is not a member
 * of, grants on objects it does not own, event triggers, publications FOR ALL TABLES or TABLES IN SCHEMA, untrusted extensions and comments on objects
 * someone else owns (such as schema {@code public} on 14) cannot be reproduced. Everything else that
 * fails stops the copy as before: a table, type or index that cannot be created is never skipped.
 * Stateless and thread-safe.
 */
final class PrivilegedStatements {
    /** SQLSTATE 42501, insufficient_privilege: "permission denied", "must be owner of", "must be member of". */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final Pattern SKIPPABLE = Pattern.compile(
            "^(CREATE\\s+EXTENSION|COMMENT\\s+ON|GRANT|REVOKE|ALTER\\s+DEFAULT\\s+PRIVILEGES|SECURITY\\s+LABEL"
                    + "|(CREATE|ALTER)\\s+EVENT\\s+TRIGGER|CREATE\\s+PUBLICATION|ALTER\\s+.+\\s+OWNER\\s+TO\\s)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private PrivilegedStatements() {
    }

    /** Whether {@code sql} is a statement that may be left out when the role lacks the privilege for it. */
    static boolean mayBeSkipped(String sql) {
        return SKIPPABLE.matcher(sql.strip()).find();
    }

    /** Whether {@code e}, raised by {@code sql}, means the statement is to be skipped with a warning. */
    static boolean skip(String sql, SQLException e) {
        return INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) && mayBeSkipped(sql);
    }

    /** The warning naming what was left out and why. */
    static String warning(String database, String object, String user, SQLException e) {
        String why = io.pgrelocate.core.spi.PgErrors.firstLine(e.getMessage()).replaceFirst("^ERROR: ", "");
        return "database " + database + ": " + object + " left out: role " + user + " lacks the privilege (" + why
                + "); run it as a superuser or the owner on the target if it is needed";
    }
}
