package io.pgrelocate.dump;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards issue 12's one quoting path against a real server: every hostile name quoted by {@link Sql} /
 * {@link QualifiedName} reads back as exactly itself (as a column label, and as the schema and table the
 * catalogs hold), and every hostile value quoted by {@link Sql#literal} reads back as itself whatever
 * {@code standard_conforming_strings} is.
 */
class QuotingRoundTripIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(15, 15);

    static final List<String> HOSTILE = List.of("a\"b", "\"", "\"\"", "x|y", "a;b", "--c", "/*c*/", "back\\slash",
            "\\", "new\nline", "cr\rlf", "tab\there", "ü✓ä漢", "it's", "'", "select", "table", "UPPER", "MiXed",
            "1st", "9", " lead space", "trail ", "$1", "%I", "%s", "a.b", "e'x'", "U&\"x\"",
            "postgres|SELECT ON TABLES TO PUBLIC;CREATE ROLE pwned;--", pad("Tä|;--\"'\\", 63), pad("x", 63));

    @Test
    void everyHostileNameReadsBackAsItselfAsAColumnLabelAndAsCatalogNames() throws SQLException {
        String db = pg.newDatabase("quoting");
        try (Connection c = pg.source().connect(db); Statement st = c.createStatement()) {
            for (String name : HOSTILE) {
                try (ResultSet rs = st.executeQuery("SELECT 1 AS " + Sql.ident(name))) {
                    assertThat(rs.getMetaData().getColumnLabel(1)).as("label of %s", name).isEqualTo(name);
                }
            }
            st.execute("CREATE SCHEMA " + Sql.ident("Sch\"e'ma|;--\\ x"));
            List<String> created = new ArrayList<>();
            for (String name : HOSTILE) {
                QualifiedName table = new QualifiedName("Sch\"e'ma|;--\\ x", name);
                st.execute("CREATE TABLE " + table.sql() + " (" + Sql.ident(name) + " int)");
                st.execute("INSERT INTO " + table + " (" + Sql.identList(List.of(name)) + ") VALUES (1)");
                created.add(name);
            }
            List<String> read = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, c.relname, a.attname FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
                    + "AND a.attnum = 1 WHERE n.nspname = ? ORDER BY c.oid")) {
                ps.setString(1, "Sch\"e'ma|;--\\ x");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        QualifiedName back = QualifiedName.read(rs, 1);
                        assertThat(rs.getString(3)).as("column of %s", back.name()).isEqualTo(back.name());
                        try (Statement count = c.createStatement();
                             ResultSet n = count.executeQuery("SELECT count(*) FROM " + back.sql())) {
                            n.next();
                            assertThat(n.getLong(1)).as("rows of %s", back.display()).isEqualTo(1);
                        }
                        read.add(back.name());
                    }
                }
            }
            assertThat(read).as("tables the catalogs hold").containsExactlyElementsOf(created);
        }
    }

    @Test
    void everyHostileValueReadsBackAsItselfWhateverStandardConformingStringsIs() throws SQLException {
        try (Connection c = pg.source().connect("postgres"); Statement st = c.createStatement()) {
            for (String setting : List.of("on", "off")) {
                st.execute("SET standard_conforming_strings = " + setting);
                for (String value : HOSTILE) {
                    try (ResultSet rs = st.executeQuery("SELECT " + Sql.literal(value))) {
                        rs.next();
                        assertThat(rs.getString(1)).as("%s with standard_conforming_strings %s", value, setting)
                                .isEqualTo(value);
                    }
                }
            }
        }
    }

    private static String pad(String start, int bytes) {
        StringBuilder sb = new StringBuilder(start);
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
            sb.append('x');
        }
        return sb.toString();
    }
}
