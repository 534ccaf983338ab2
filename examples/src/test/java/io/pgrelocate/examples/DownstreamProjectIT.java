package io.pgrelocate.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another team's project (src/it/downstream) built by its own Maven, outside this reactor: it depends on
 * io.pgrelocate:pgrelocate through the BOM, its main runs a dump and a continuous migration, and its JUnit test
 * starts embedded servers with the testkit. This build's artifacts reach it through a file repository under
 * target/, everything else through the host's local repository used as a read-only file mirror; its own local
 * repository is private, under target/, so nothing is installed anywhere shared and nothing is downloaded.
 */
class DownstreamProjectIT {
    private static final List<String> MODULES = List.of("core", "preflight", "dump", "replication", "testkit",
            "pgrelocate");

    @Test
    void aProjectDependingOnlyOnTheOneArtifactRunsBothMigrationsFromItsMain() throws Exception {
        Path examples = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        Path root = examples.getParent();
        Path work = examples.resolve("target/downstream");
        deleteTree(work);
        String version = System.getProperty("pgrelocate.version");
        Path repo = work.resolve("reactor-repo");
        publish(root.resolve("pom.xml"), null, repo, "pgrelocate-parent", version);
        publish(root.resolve("bom/pom.xml"), null, repo, "pgrelocate-bom", version);
        for (String module : MODULES) {
            String artifact = module.equals("pgrelocate") ? "pgrelocate" : "pgrelocate-" + module;
            Path jar = root.resolve(module).resolve("target").resolve(artifact + "-" + version + ".jar");
            assertThat(jar).as("built by this reactor before examples (run with -am)").isRegularFile();
            publish(root.resolve(module).resolve("pom.xml"), jar, repo, artifact, version);
        }
        Path project = work.resolve("project");
        copyProject(examples.resolve("src/it/downstream"), project, Map.of("@pgrelocate.version@", version,
                "@pg17.version@", prop("pg17.version"), "@junit.version@", prop("junit.version"),
                "@resources.plugin.version@", prop("resources.plugin.version"),
                "@compiler.plugin.version@", prop("compiler.plugin.version"),
                "@surefire.version@", prop("surefire.version")));
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, settings(Path.of(prop("maven.repo.local")), repo));

        Path log = work.resolve("build.log");
        String mvn = Path.of(prop("maven.home"), "bin", "mvn").toString();
        Process build = new ProcessBuilder(mvn, "-B", "-s", settings.toString(),
                "-Dmaven.repo.local=" + work.resolve("m2"), "-Dstyle.color=never", "test")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = build.waitFor(8, TimeUnit.MINUTES);
        if (!ended) {
            build.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended && build.exitValue() == 0).as("the downstream build passes; its log:\n%s", tail(output))
                .isTrue();
        assertThat(output).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .contains("dump of archive_").contains(": COMPLETED");
    }

    private static String prop(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property %s, set by the examples pom", name).isNotBlank();
        return value;
    }

    /** Lays out one artifact as a Maven repository does. */
    private static void publish(Path pom, Path jar, Path repo, String artifact, String version) throws IOException {
        Path dir = repo.resolve("io/pgrelocate").resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyProject(Path from, Path to, Map<String, String> replacements) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path dest = to.resolve(from.relativize(f).toString());
                Files.createDirectories(dest.getParent());
                String text = Files.readString(f, StandardCharsets.UTF_8);
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    text = text.replace(r.getKey(), r.getValue());
                }
                Files.writeString(dest, text, StandardCharsets.UTF_8);
            }
        }
    }

    /** Every repository but this build's mirrored to the host's local repository, read as a file repository. */
    private static String settings(Path hostRepository, Path reactorRepository) {
        return """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>host-local-repository</id>
                      <mirrorOf>*,!pgrelocate-reactor</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                  <profiles>
                    <profile>
                      <id>reactor</id>
                      <repositories>
                        <repository>
                          <id>pgrelocate-reactor</id>
                          <url>%s</url>
                        </repository>
                      </repositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>reactor</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(hostRepository.toUri(), reactorRepository.toUri());
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
