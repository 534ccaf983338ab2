package io.pgrelocate.core.internal.roles;

import java.util.List;

/**
 * The source roles a migration brings along, and the memberships among the source's roles.
 *
 * @param verifiersReadable whether the source role could read {@code pg_authid}, so that verifiers are known
 * @param sourceMajor       the source's major version
 */
public record SourceRoles(List<SourceRole> roles, List<Membership> memberships, boolean verifiersReadable,
                          int sourceMajor) {
    public SourceRoles {
        roles = List.copyOf(roles);
        memberships = List.copyOf(memberships);
    }
}
