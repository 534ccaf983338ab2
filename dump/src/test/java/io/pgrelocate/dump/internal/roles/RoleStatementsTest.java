package io.pgrelocate.dump.internal.roles;

import io.pgrelocate.core.internal.roles.Membership;
import io.pgrelocate.core.internal.roles.RolePlan;
import io.pgrelocate.core.internal.roles.SourceRole;
import io.pgrelocate.core.internal.roles.SourceRoles;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RoleStatementsTest {
    private static final String VERIFIER = "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy";

    // guards: every attribute is carried, withheld ones are left out, the verifier is passed as stored
    @Test
    void createCarriesEveryAttributeButTheWithheldOnes() {
        SourceRole r = new SourceRole("app's", false, true, false, true, true, true, true, 5,
                "2031-02-03 04:05:06.000000+00", VERIFIER, null, List.of());

        assertThat(RoleStatements.create(r, List.of("BYPASSRLS"))).isEqualTo("CREATE ROLE \"app's\" WITH NOSUPERUSER "
                + "INHERIT NOCREATEROLE CREATEDB LOGIN REPLICATION NOBYPASSRLS CONNECTION LIMIT 5 VALID UNTIL "
                + "'2031-02-03 04:05:06.000000+00' PASSWORD '" + VERIFIER + "'");
    }

    // guards: a role's verifier never shows in its toString (logs, exceptions)
    @Test
    void aRolesTextNeverShowsItsVerifier() {
        SourceRole r = new SourceRole("app", false, true, false, false, true, false, false, -1, null, VERIFIER, null,
                List.of());
        assertThat(r.toString()).doesNotContain("SCRAM").contains("app");
        // nor in the records that hold it (what a plan or a preflight failure might print)
        RolePlan.Entry entry = new RolePlan.Entry(r, RolePlan.Action.CREATE, List.of(), false);
        SourceRoles source = new SourceRoles(List.of(r), List.of(), true, 17);
        assertThat(entry + " " + source + " " + new RolePlan(List.of(entry), source, null)).doesNotContain("SCRAM")
                .doesNotContain("c3RvcmVk").contains("app");
    }

    // guards: INHERIT and SET are granted only between 16+ servers; ADMIN everywhere
    @Test
    void grantOptionsFollowBothMajors() {
        Membership m = new Membership("owner", "app", true, false, true, null);
        assertThat(RoleStatements.grant(m, 16, 16)).isEqualTo("GRANT \"owner\" TO \"app\" WITH ADMIN true, INHERIT false, SET true");
        assertThat(RoleStatements.grant(new Membership("owner", "app", true, null, null, null), 14, 18))
                .isEqualTo("GRANT \"owner\" TO \"app\" WITH ADMIN true");
        assertThat(RoleStatements.grant(m, 16, 15)).isEqualTo("GRANT \"owner\" TO \"app\" WITH ADMIN OPTION");
    }

    // guards: a 16+ grantor is named only when asked, quoted
    @Test
    void grantNamesTheSourceGrantorWhenAsked() {
        Membership m = new Membership("owner", "app", false, true, true, "Lead");
        assertThat(RoleStatements.grant(m, 16, 17, true))
                .isEqualTo("GRANT \"owner\" TO \"app\" WITH ADMIN false, INHERIT true, SET true GRANTED BY \"Lead\"");
        assertThat(RoleStatements.grant(m, 16, 17)).doesNotContain("GRANTED BY");
    }
}
