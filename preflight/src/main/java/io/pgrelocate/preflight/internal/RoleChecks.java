package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.RoleSelection;
import io.pgrelocate.core.internal.roles.RolePlan;
import io.pgrelocate.core.internal.roles.RoleReader;
import io.pgrelocate.core.internal.roles.TargetRoles;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.SQLException;
import java.util.List;

/**
 * Which source roles the migration will create on the target, leave as they are, or create without a
 * password; the same {@link RolePlan} the engines run. Informational: what is missing ends as warnings naming
 * each object, never as a failure.
 */
public final class RoleChecks {
    private RoleChecks() {
    }

    public static void check(RoleSelection selection, ServerSession source, ServerSession target,
                             List<DatabaseInfo> databases, Findings findings) {
        if (selection == RoleSelection.NONE || databases.isEmpty()) {
            return;
        }
        RolePlan plan;
        try {
            plan = RolePlan.of(RoleReader.read(source.connection(), databases.stream().map(DatabaseInfo::name).toList(),
                    selection), TargetRoles.read(target.connection()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the roles to migrate: " + e.getMessage(), e);
        }
        List<String> create = names(plan.with(RolePlan.Action.CREATE));
        if (!create.isEmpty()) {
            findings.info(FindingCode.ROLES_TO_CREATE, Findings.listed(create, 10), create.size()
                    + " role(s) will be created on the target: " + Findings.listed(create, 50), null);
        }
        List<String> existing = names(plan.with(RolePlan.Action.EXISTS));
        if (!existing.isEmpty()) {
            findings.info(FindingCode.ROLES_ALREADY_ON_TARGET, Findings.listed(existing, 10), existing.size()
                    + " role(s) exist on the target already and are left as they are: " + Findings.listed(existing, 50),
                    null);
        }
        List<String> passwords = plan.entries().stream().filter(RolePlan.Entry::needsPassword)
                .map(e -> e.role().name()).toList();
        if (!passwords.isEmpty()) {
            findings.info(FindingCode.ROLES_NEED_PASSWORD, Findings.listed(passwords, 10), "the source role may not "
                    + "read pg_authid, so these login roles will be created without their password: "
                    + Findings.listed(passwords, 50), String.join("\n", passwords.stream().map(r -> "ALTER ROLE "
                    + Sql.ident(r) + " PASSWORD '...';   -- on the target, after the migration").toList()));
        }
        notCreatable(plan, target.user(), findings);
    }

    private static void notCreatable(RolePlan plan, String targetUser, Findings findings) {
        List<String> refused = names(plan.with(RolePlan.Action.CANNOT_CREATE));
        if (!refused.isEmpty()) {
            findings.info(FindingCode.ROLES_NOT_CREATABLE, Findings.listed(refused, 10), "the target role has neither "
                    + "SUPERUSER nor CREATEROLE, so these roles will not be created (objects they own stay with the "
                    + "migration role): " + Findings.listed(refused, 50), "ALTER ROLE " + Sql.ident(targetUser) + " CREATEROLE;   -- as a superuser on the target");
        }
        for (RolePlan.Entry e : plan.with(RolePlan.Action.CREATE)) {
            if (!e.withheld().isEmpty()) {
                findings.info(FindingCode.ROLES_NOT_CREATABLE, e.role().name(), "role " + e.role().name()
                        + " will be created without " + String.join(", ", e.withheld()) + ": the target role may not "
                        + "grant them", "ALTER ROLE " + Sql.ident(e.role().name()) + " " + String.join(" ",
                        e.withheld()) + ";   -- as a superuser on the target, after the migration");
            }
        }
    }

    private static List<String> names(List<RolePlan.Entry> entries) {
        return entries.stream().map(e -> e.role().name()).toList();
    }
}
