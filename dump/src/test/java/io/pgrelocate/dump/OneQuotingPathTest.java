package io.pgrelocate.dump;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards issue 12's "one quoting path": no SQL text in the main code of core, dump, replication, preflight or the
 * CLI asks the server to quote a name ({@code format('%I')}, {@code quote_ident(}, {@code quote_literal(},
 * {@code ::regclass::text}) and carries the quoted result back as a String to concatenate into SQL. Names come
 * back raw and are quoted by {@code io.pgrelocate.core.spi.Sql} / {@code QualifiedName} only. Scans string
 * literals (not comments) of the sources, from the module's directory.
 */
class OneQuotingPathTest {
    private static final Pattern SERVER_QUOTING = Pattern.compile(
            "%I|quote_ident\\s*\\(|quote_literal\\s*\\(|::regclass::text", Pattern.CASE_INSENSITIVE);

    /**
     * Where server-side quoting stays, and why. verify: its queries build descriptions compared between the two
     * servers, never executed. DdlCapture: plpgsql run inside the source's DDL transaction, where no Java is
     * there to quote.
     */
    private static final Set<String> ALLOWED = Set.of(
            "dump/src/main/java/io/pgrelocate/dump/internal/verify/CatalogQueries.java",
            "dump/src/main/java/io/pgrelocate/dump/internal/verify/OtherObjectQueries.java",
            "replication/src/main/java/io/pgrelocate/replication/internal/DdlCapture.java");

    private static final List<String> MODULES = List.of("core", "dump", "replication", "preflight", "examples");

    @Test
    void noMainCodeLetsTheServerQuoteANameOutsideTheAllowList() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        for (String module : MODULES) {
            Path main = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    scanned++;
                    String relative = root.relativize(file).toString().replace('\\', '/');
                    if (!ALLOWED.contains(relative)) {
                        offenders.addAll(serverQuoting(relative, Files.readString(file)));
                    }
                }
            }
        }
        assertThat(scanned).as("main sources scanned (run from the module directory)").isGreaterThan(100);
        assertThat(offenders).as("SQL that lets the server quote a name; return raw names and quote them with "
                + "Sql / QualifiedName").isEmpty();
    }

    @Test
    void scannerFindsServerQuotingInLiteralsButNotInComments() {
        String source = "class X {\n"
                + "  // format('%I') in a comment is fine\n"
                + "  /* quote_ident(x) too */\n"
                + "  String a = \"SELECT format('%I.%I', n.nspname, c.relname)\";\n"
                + "  String b = \"url://host\" + \"SELECT quote_ident(x)\";\n"
                + "  String c = \"SELECT c.oid::regclass::text\";\n"
                + "  String d = \"SELECT n.nspname, c.relname\";\n"
                + "  char e = '\"'; String f = \"it's \\\" fine\";\n"
                + "}\n";

        assertThat(serverQuoting("X.java", source)).hasSize(3)
                .anySatisfy(s -> assertThat(s).contains("format('%I.%I'"))
                .anySatisfy(s -> assertThat(s).contains("quote_ident(x)"))
                .anySatisfy(s -> assertThat(s).contains("::regclass::text"));
    }

    /** Each string literal of {@code source} that asks the server to quote, as {@code file: literal}. */
    static List<String> serverQuoting(String file, String source) {
        List<String> out = new ArrayList<>();
        for (String literal : literals(source)) {
            if (SERVER_QUOTING.matcher(literal).find()) {
                out.add(file + ": " + literal);
            }
        }
        return out;
    }

    /** The contents of the string literals and text blocks of {@code source}, comments and char literals skipped. */
    static List<String> literals(String source) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = endOf(source, "\n", i + 2);
            } else if (source.startsWith("/*", i)) {
                i = endOf(source, "*/", i + 2);
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end;
                out.add(source.substring(i + 3, end));
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && source.charAt(i) != c) {
                    if (source.charAt(i) == '\\' && i + 1 < n) {
                        sb.append(source.charAt(i));
                        i++;
                    }
                    sb.append(source.charAt(i));
                    i++;
                }
                if (c == '"') {
                    out.add(sb.toString());
                }
                i++;
            } else {
                i++;
            }
        }
        return out;
    }

    private static int endOf(String source, String end, int from) {
        int at = source.indexOf(end, from);
        return at < 0 ? source.length() : at + end.length();
    }
}
