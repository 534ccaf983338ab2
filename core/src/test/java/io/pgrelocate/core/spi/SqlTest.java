package io.pgrelocate.core.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTest {
    @Test
    void quotesEveryIdentifierAndDoublesEmbeddedQuotes() {
        assertThat(Sql.ident("orders")).isEqualTo("\"orders\"");
        assertThat(Sql.ident("Mixed Case")).isEqualTo("\"Mixed Case\"");
        assertThat(Sql.ident("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(Sql.qualified("select", "täble")).isEqualTo("\"select\".\"täble\"");
        assertThatThrownBy(() -> Sql.ident("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quotesLiteralsWhateverStandardConformingStringsIs() {
        assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
        assertThat(Sql.literal("a\\b'c")).isEqualTo("E'a\\\\b''c'");
        assertThat(Sql.literal(null)).isEqualTo("NULL");
    }

    // issue 12: a qualified name renders itself only quoted, even when concatenated or logged
    @Test
    void qualifiedNamesRenderOnlyQuoted() {
        QualifiedName n = new QualifiedName("s|x;--", "t\"a\nb");
        assertThat(n.sql()).isEqualTo("\"s|x;--\".\"t\"\"a\nb\"");
        assertThat("LOCK TABLE " + n).isEqualTo("LOCK TABLE " + n.sql());
        assertThatThrownBy(() -> new QualifiedName("", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QualifiedName("s", null)).isInstanceOf(IllegalArgumentException.class);
    }

    // issue 12: a name with a line break in a printed comment must not end the comment and become SQL
    @Test
    void commentsStayOnOneLine() {
        assertThat(Sql.comment("in database x\nCREATE ROLE pwned;\r--")).isEqualTo("-- in database x\\nCREATE ROLE "
                + "pwned;\\r--").doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void namesSlotsUniquelyWithinPostgresLimits() {
        String a = Names.slot("default", "Shop Database With A Very Long Name Indeed, Longer Than Sixty Three");
        assertThat(a).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+").startsWith(Names.PREFIX);
        assertThat(Names.slot("m", "shop")).isNotEqualTo(Names.slot("m", "Shop"));
        assertThat(Names.isOurs(Names.publication("m"))).isTrue();
    }

    // guards: a user mapping's password never reaches the DDL log or a replay's message
    @Test
    void masksPasswordOptionsOfUserMappingsAndServers() {
        String sql = "CREATE USER MAPPING FOR \"alice\" SERVER \"remote\" OPTIONS (\"user\" 'alice', password 'se''cr et', "
                + "\"password\" 'x', passfile '/p')";

        String masked = Sql.maskPasswords(sql);

        assertThat(masked).doesNotContain("se''cr et").doesNotContain("'x'")
                .isEqualTo("CREATE USER MAPPING FOR \"alice\" SERVER \"remote\" OPTIONS (\"user\" 'alice', "
                        + "password '***', \"password\" '***', passfile '/p')");
        assertThat(Sql.maskPasswords("CREATE TABLE password (x int)")).isEqualTo("CREATE TABLE password (x int)");
    }
}
