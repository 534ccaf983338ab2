package io.pgrelocate.examples.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code --version}: pgrelocate's version (from the core jar's Maven metadata), the JVM's and pgjdbc's. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "pgrelocate " + of("io.pgrelocate", "pgrelocate-core", "(development build)"),
            "pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION + ", Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    /** The version in a jar's {@code META-INF/maven/.../pom.properties}, absent when run from class folders. */
    static String of(String group, String artifact, String fallback) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Version.class.getResourceAsStream(path)) {
            if (in == null) {
                return fallback;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", fallback);
        } catch (IOException e) {
            return fallback;
        }
    }
}
