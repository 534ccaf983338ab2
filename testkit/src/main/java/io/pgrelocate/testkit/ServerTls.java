package io.pgrelocate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * TLS for a testkit server ({@link PostgresServer.Builder#tls()}): a self-signed certificate for {@code 127.0.0.1}
 * made with the JDK's own {@code keytool} (no openssl needed), written as PEM into the data directory, and
 * {@code pg_hba.conf} rules that refuse every connection without TLS. The certificate is its own root, so a client
 * can also check it ({@code sslmode=verify-full&sslrootcert=}{@link PostgresServer#rootCertificate()}).
 */
final class ServerTls {
    static final String CERT = "server.crt";
    static final String KEY = "server.key";
    private static final String ALIAS = "pg";

    private ServerTls() {
    }

    /**
     * Writes the certificate and key into {@code dataDir} (the key readable by the server's user only, as the
     * server demands), puts TLS-only rules first in its pg_hba.conf, and returns the settings that turn TLS on.
     */
    static Map<String, String> install(Path dataDir, boolean runAsNobody) {
        try {
            Path work = Files.createTempDirectory(dataDir.getParent(), "tls-");
            char[] pass = "testkit-keystore".toCharArray();
            Path store = work.resolve("server.p12");
            // the store's password from a file: a command line shows in ps and in a failure's message
            Path passFile = Files.writeString(work.resolve("pass"), new String(pass));
            keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass:file", passFile.toString());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, pass);
            }
            Key key = ks.getKey(ALIAS, pass);
            Certificate cert = ks.getCertificate(ALIAS);
            Path certFile = dataDir.resolve(CERT);
            Path keyFile = dataDir.resolve(KEY);
            // an RSA private key's encoded form is PKCS#8, which PEM calls PRIVATE KEY
            Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(certFile, PosixFilePermissions.fromString("rw-r--r--"));
            Files.delete(store);
            Files.delete(passFile);
            Files.delete(work);
            requireTlsInHba(dataDir);
            if (runAsNobody) {
                PgBinaries.run("chown", "nobody", certFile.toString(), keyFile.toString());
            }
            return Map.of("ssl", "on", "ssl_cert_file", CERT, "ssl_key_file", KEY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the TLS certificate of a testkit server", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate keytool made: " + e, e);
        }
    }

    /** Connections over TLS are let in as before; any other is refused, replication connections included. */
    private static void requireTlsInHba(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        List<String> lines = new ArrayList<>(List.of(
                "hostssl all all 127.0.0.1/32 scram-sha-256",
                "hostssl replication all 127.0.0.1/32 scram-sha-256",
                "hostnossl all all 0.0.0.0/0 reject",
                "hostnossl replication all 0.0.0.0/0 reject"));
        lines.addAll(Files.readAllLines(hba));
        Files.write(hba, lines);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        PgBinaries.run(cmd);
    }
}
