package io.pgrelocate.core.internal.roles;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RoleClosureTest {
    private static Membership grant(String role, String member, String grantor) {
        return new Membership(role, member, grantor == null, true, true, grantor);
    }

    // guards: a membership's grantor (16+) comes along with the roles it belongs to, or the grant loses its grantor
    @Test
    void grantorsOfNeededMembershipsComeAlongWithTheirOwnRoles() {
        List<Membership> memberships = List.of(
                grant("grp", "admin_of_grp", null),      // the grantor's ADMIN on grp
                grant("grp", "app", "admin_of_grp"),     // app reaches grp upwards only
                grant("audit", "admin_of_grp", null),    // the grantor belongs to audit too
                grant("audit", "auditor", "admin_of_audit"),
                grant("other", "stranger", "nobody_needed"));

        assertThat(RoleReader.closure(Set.of("app"), memberships))
                .containsExactlyInAnyOrder("app", "grp", "admin_of_grp", "audit");
    }

    // guards: a grantor that is itself a member granted by another grantor brings that one too
    @Test
    void grantorsAreFollowedUntilNothingNewComes() {
        List<Membership> memberships = List.of(
                grant("grp", "app", "g1"),
                grant("grp", "g1", "g2"),
                grant("grp", "g2", null),
                grant("pg_read_all_stats", "app", "pg_monitor"));

        assertThat(RoleReader.closure(Set.of("app"), memberships))
                .containsExactlyInAnyOrder("app", "grp", "g1", "g2");
    }
}
