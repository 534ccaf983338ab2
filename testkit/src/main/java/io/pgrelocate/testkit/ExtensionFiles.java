package io.pgrelocate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Installs an extension of the test's own (its control file and install script) into the embedded binaries of a
 * major version, for what no contrib extension of the binaries has (configuration tables, for one). Every server of
 * that major in every JVM on the machine sees it, so give it a name of its own. Thread-safe and safe across JVMs:
 * each file is written aside and moved into place at once, so a server never reads half of one.
 *
 * <pre>{@code
 * ExtensionFiles.install(15, "my_test_ext", "1.0", "relocatable = true", "CREATE TABLE t (id int);");
 * pg.source().execute(db, "CREATE EXTENSION my_test_ext");
 * }</pre>
 */
public final class ExtensionFiles {
    private ExtensionFiles() {
    }

    /**
     * Writes {@code name.control} (with {@code default_version} and {@code control}'s further lines) and
     * {@code name--version.sql} ({@code script}) into {@code share/postgresql/extension} of {@code major}'s binaries.
     */
    public static void install(int major, String name, String version, String control, String script) {
        if (!name.matches("[a-z_][a-z0-9_]*") || !version.matches("[0-9.]+")) {
            throw new IllegalArgumentException("an extension name of lower-case letters, digits and '_', and a "
                    + "version of digits and dots: " + name + " " + version);
        }
        Path dir = PgBinaries.install(major).resolve("share/postgresql/extension");
        write(dir, name + ".control", "default_version = '" + version + "'\n" + control + "\n");
        write(dir, name + "--" + version + ".sql", script + "\n");
    }

    private static void write(Path dir, String file, String text) {
        try {
            Path tmp = Files.createTempFile(dir, file, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            // readable by the server, which runs as nobody when the JVM runs as root
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install extension file " + file + " into " + dir, e);
        }
    }
}
