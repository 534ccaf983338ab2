package io.pgrelocate.dump.internal.roles;

import io.pgrelocate.core.internal.roles.Membership;
import io.pgrelocate.core.internal.roles.SourceRole;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.dump.internal.schema.DatabaseSettingsExtractor;

import java.util.List;

/** The SQL that recreates a source role on the target, as pg_dumpall writes it. Thread-safe (stateless). */
final class RoleStatements {
    private RoleStatements() {
    }

    /**
     * {@code CREATE ROLE} with every attribute but the {@code withheld} ones, and the verifier as it is stored
     * (the server keeps a SCRAM or md5 verifier as given). The result holds a secret: never log it.
     */
    static String create(SourceRole r, List<String> withheld) {
        StringBuilder sb = new StringBuilder("CREATE ROLE ").append(Sql.ident(r.name())).append(" WITH");
        sb.append(flag(r.superuser() && !withheld.contains("SUPERUSER"), "SUPERUSER"));
        sb.append(flag(r.inherit(), "INHERIT"));
        sb.append(flag(r.createRole(), "CREATEROLE"));
        sb.append(flag(r.createDb() && !withheld.contains("CREATEDB"), "CREATEDB"));
        sb.append(flag(r.login(), "LOGIN"));
        sb.append(flag(r.replication() && !withheld.contains("REPLICATION"), "REPLICATION"));
        sb.append(flag(r.bypassRls() && !withheld.contains("BYPASSRLS"), "BYPASSRLS"));
        if (r.connectionLimit() != -1) {
            sb.append(" CONNECTION LIMIT ").append(r.connectionLimit());
        }
        if (r.validUntil() != null) {
            sb.append(" VALID UNTIL ").append(Sql.literal(r.validUntil()));
        }
        if (r.verifier() != null) {
            sb.append(" PASSWORD ").append(Sql.literal(r.verifier()));
        }
        return sb.toString();
    }

    private static String flag(boolean on, String name) {
        return on ? " " + name : " NO" + name;
    }

    static String comment(SourceRole r) {
        return "COMMENT ON ROLE " + Sql.ident(r.name()) + " IS " + Sql.literal(r.comment());
    }

    /** {@code ALTER ROLE ... SET} for one {@code name=value} of {@code pg_db_role_setting}. */
    static String setting(SourceRole r, String name, String value) {
        return "ALTER ROLE " + Sql.ident(r.name()) + " SET " + Sql.ident(name) + " TO "
                + DatabaseSettingsExtractor.value(name, value);
    }

    /**
     * {@code GRANT role TO member} with the grant's options: ADMIN everywhere; INHERIT and SET only when both
     * majors have them (16+). From an older source the target's default applies, which follows the member's
     * INHERIT attribute as the older server did.
     */
    static String grant(Membership m, int sourceMajor, int targetMajor) {
        return grant(m, sourceMajor, targetMajor, false);
    }

    /** As {@link #grant(Membership, int, int)}, {@code GRANTED BY} the source's grantor when {@code grantedBy}. */
    static String grant(Membership m, int sourceMajor, int targetMajor, boolean grantedBy) {
        return options(m, sourceMajor, targetMajor) + (grantedBy && m.grantor() != null ? " GRANTED BY "
                + Sql.ident(m.grantor()) : "");
    }

    private static String options(Membership m, int sourceMajor, int targetMajor) {
        String head = "GRANT " + Sql.ident(m.role()) + " TO " + Sql.ident(m.member());
        if (targetMajor < 16) {
            return head + (m.admin() ? " WITH ADMIN OPTION" : "");
        }
        if (sourceMajor < 16 || m.inherit() == null) {
            return head + " WITH ADMIN " + m.admin();
        }
        return head + " WITH ADMIN " + m.admin() + ", INHERIT " + m.inherit() + ", SET " + m.set();
    }
}
