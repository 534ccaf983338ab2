package io.pgrelocate.dump.internal.roles;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.internal.roles.Membership;
import io.pgrelocate.core.internal.roles.RolePlan;
import io.pgrelocate.core.internal.roles.SourceRole;
import io.pgrelocate.core.spi.PgErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Creates the roles of a {@link RolePlan} on the target, then their comments, role-level settings and the
 * memberships of the roles it created. A role the target already has is left as it is. What cannot be done
 * (a privilege the migration role lacks, a parameter the target does not know) is a warning naming the role,
 * never a failure: objects whose role is missing keep the migration role, with their own warnings. No
 * statement text is logged (a {@code CREATE ROLE} carries a password verifier). Not thread-safe.
 */
public final class RoleCopy {
    private static final Logger log = LoggerFactory.getLogger(RoleCopy.class);

    private final RolePlan plan;
    /** Hears (role, message) for each thing left undone. */
    private final BiConsumer<String, String> warn;
    private final Set<String> created = new HashSet<>();

    public RoleCopy(RolePlan plan, BiConsumer<String, String> warn) {
        this.plan = plan;
        this.warn = warn;
    }

    /** Runs the plan on {@code target} (any database; autocommit: one role's failure spares the others). */
    public Set<String> run(Connection target) {
        report();
        try (Statement st = target.createStatement()) {
            for (RolePlan.Entry e : plan.with(RolePlan.Action.CREATE)) {
                create(st, e);
            }
            // only roles created now gain memberships: a role the target had is left as it is
            List<Membership> grants = new ArrayList<>(plan.source().memberships().stream().filter(m ->
                    created.contains(m.member()) && (created.contains(m.role())
                            || plan.target().existing().contains(m.role()))).toList());
            // those without a grantor of their own first: one may give a grantor the ADMIN it grants with
            for (Membership m : grants.stream().filter(m -> m.grantor() == null).toList()) {
                grantWithoutGrantor(st, m);
            }
            grants.removeIf(m -> m.grantor() == null);
            grantWithGrantors(st, grants);
            for (Membership m : grants) {
                grantWithoutGrantor(st, m);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot create roles on the target", e);
        }
        log.info("roles: {} created, {} already on the target", created.size(), plan.with(RolePlan.Action.EXISTS).size());
        return Set.copyOf(created);
    }

    /**
     * The grants whose source grantor (16+) the target has, {@code GRANTED BY} it, pass after pass: a grantor must
     * hold ADMIN on the role when it grants (16+), which an earlier grant of this very run may give it. What is
     * left (no grantor, or the target refuses it) stays in {@code grants}.
     */
    private void grantWithGrantors(Statement st, List<Membership> grants) throws SQLException {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Iterator<Membership> it = grants.iterator(); it.hasNext(); ) {
                Membership m = it.next();
                if (m.grantor() != null && plan.target().major() >= 16 && hasRole(m.grantor())
                        && attempt(st, RoleStatements.grant(m, plan.source().sourceMajor(), plan.target().major(), true))) {
                    it.remove();
                    progress = true;
                }
            }
        }
    }

    private void grantWithoutGrantor(Statement st, Membership m) throws SQLException {
        if (run(st, m.member(), "membership in " + m.role(), RoleStatements.grant(m, plan.source().sourceMajor(),
                plan.target().major())) && m.grantor() != null) {
            warn.accept(m.member(), "role " + m.member() + ": membership in " + m.role() + " is recorded with the "
                    + "migration's own grantor, not " + m.grantor() + (hasRole(m.grantor()) ? ", which the target "
                    + "refused as grantor" : ", which does not exist on the target"));
        }
    }

    private boolean hasRole(String role) {
        return created.contains(role) || plan.target().existing().contains(role);
    }

    /** Runs {@code sql}; false when the server refused it (no warning: the caller falls back). */
    private static boolean attempt(Statement st, String sql) throws SQLException {
        return refusal(st, sql) == null;
    }

    /** Runs {@code sql}: null when it ran, the server's refusal otherwise. A lost connection fails the run. */
    private static SQLException refusal(Statement st, String sql) throws SQLException {
        try {
            st.execute(sql);
            return null;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e;
            }
            return e;
        }
    }

    private void report() {
        List<String> existing = names(plan.with(RolePlan.Action.EXISTS));
        if (!existing.isEmpty()) {
            log.info("roles already on the target, left as they are: {}", String.join(", ", existing));
        }
        List<String> refused = names(plan.with(RolePlan.Action.CANNOT_CREATE));
        if (!refused.isEmpty()) {
            warn.accept(refused.get(0), "roles not created: " + String.join(", ", refused) + ": the target role has neither SUPERUSER nor CREATEROLE");
        }
        List<String> passwords = plan.entries().stream().filter(RolePlan.Entry::needsPassword)
                .map(e -> e.role().name()).toList();
        if (!passwords.isEmpty()) {
            warn.accept(passwords.get(0), "roles created without their password (the source role may not read "
                    + "pg_authid): " + String.join(", ", passwords) + "; set one with ALTER ROLE ... PASSWORD");
        }
    }

    private void create(Statement st, RolePlan.Entry e) throws SQLException {
        SourceRole r = e.role();
        if (!run(st, r.name(), "role", RoleStatements.create(r, e.withheld()))) {
            return;
        }
        created.add(r.name());
        log.info("role {} created", r.name());
        if (!e.withheld().isEmpty()) {
            warn.accept(r.name(), "role " + r.name() + " created without " + String.join(", ", e.withheld())
                    + ": the target role may not grant " + (e.withheld().size() == 1 ? "it" : "them"));
        }
        if (r.comment() != null) {
            run(st, r.name(), "comment", RoleStatements.comment(r));
        }
        for (String setting : r.settings()) {
            int eq = setting.indexOf('=');
            String name = setting.substring(0, eq);
            if (!name.contains(".") && !plan.target().settings().contains(name.toLowerCase(Locale.ROOT))) {
                warn.accept(r.name(), "setting " + name + " of role " + r.name() + " is not copied: the target "
                        + "does not know parameter " + name);
            } else {
                run(st, r.name(), "setting " + name, RoleStatements.setting(r, name, setting.substring(eq + 1)));
            }
        }
    }

    /** Runs {@code sql}; false (and a warning) when the server refused it. A lost connection fails the run. */
    private boolean run(Statement st, String role, String what, String sql) throws SQLException {
        SQLException e = refusal(st, sql);
        if (e == null) {
            return true;
        }
        // the server's message names the role, never the verifier; masked anyway in case one ever does
        String reason = PgErrors.firstLine(e.getMessage()).replaceAll("(?i)(SCRAM-SHA-256|md5)\\S*", "***");
        warn.accept(role, "role " + role + ": " + what + " not created: " + reason);
        return false;
    }

    private static List<String> names(List<RolePlan.Entry> entries) {
        return entries.stream().map(e -> e.role().name()).toList();
    }
}
