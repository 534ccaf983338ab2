package io.pgrelocate.dump.internal;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class PrivilegedStatementsTest {
    @Test
    void leavesOutOnlyOwnershipGrantsCommentsExtensionsAndEventTriggersForWantOfAPrivilege() {
        SQLException denied = new SQLException("ERROR: permission denied to create extension \"pgstattuple\"", "42501");
        assertThat(PrivilegedStatements.skip("CREATE EXTENSION IF NOT EXISTS \"pgstattuple\" WITH SCHEMA public", denied))
                .isTrue();
        assertThat(PrivilegedStatements.skip("ALTER TABLE public.t OWNER TO \"app\"", denied)).isTrue();
        assertThat(PrivilegedStatements.skip("  grant select on t to app", denied)).isTrue();
        assertThat(PrivilegedStatements.skip("COMMENT ON SCHEMA public IS 'x'", denied)).isTrue();
        assertThat(PrivilegedStatements.skip("CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()", denied))
                .isTrue();
        // FOR ALL TABLES and TABLES IN SCHEMA need a superuser
        assertThat(PrivilegedStatements.skip("CREATE PUBLICATION p FOR ALL TABLES WITH (publish = 'insert')", denied))
                .isTrue();
        // a table, or a column named like a keyword, is never left out
        assertThat(PrivilegedStatements.skip("CREATE TABLE public.t (id int)", denied)).isFalse();
        assertThat(PrivilegedStatements.skip("CREATE TABLE public.grant (owner text)", denied)).isFalse();
        // any other failure of a skippable statement still stops the copy
        assertThat(PrivilegedStatements.skip("CREATE EXTENSION hstore", new SQLException("no such file", "58P01")))
                .isFalse();
    }

    @Test
    void warningNamesTheObjectTheRoleAndTheReason() {
        String w = PrivilegedStatements.warning("shop", "extension pgstattuple", "app",
                new SQLException("ERROR: permission denied to create extension \"pgstattuple\"\n  Hint: x", "42501"));
        assertThat(w).isEqualTo("database shop: extension pgstattuple left out: role app lacks the privilege "
                + "(permission denied to create extension \"pgstattuple\"); run it as a superuser or the owner on "
                + "the target if it is needed");
    }
}
