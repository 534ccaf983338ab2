package io.pgrelocate.testkit;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.SslMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real PostgreSQL server from the embedded binaries, in its own throwaway data directory, listening on
 * 127.0.0.1 at a free port, with {@code wal_level=logical}. Runs its processes as {@code nobody} when the
 * JVM runs as root (PostgreSQL refuses root). {@link #close()} stops it and deletes its data; safe twice.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.builder().major(17).start()) {
 *     pg.execute("postgres", "CREATE DATABASE shop");
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable, SqlRunner {
    /** The superuser every testkit server has, with {@link #PASSWORD}. */
    public static final String SUPERUSER = "postgres";
    public static final String PASSWORD = "testkit-secret";

    private final int major;
    private final Path binaries;
    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final boolean runAsNobody;
    private final boolean tls;
    private volatile boolean running;
    private volatile boolean closed;

    private PostgresServer(int major, Path binaries, Path baseDir, int port, boolean tls) {
        this.major = major;
        this.tls = tls;
        this.binaries = binaries;
        this.dataDir = baseDir.resolve("data");
        this.logFile = baseDir.resolve("postgres.log");
        this.port = port;
        this.runAsNobody = "root".equals(System.getProperty("user.name"));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int major() {
        return major;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The superuser's endpoint for {@code database}, password included, TLS off ({@code require} with {@code tls()}). */
    public Endpoint endpoint(String database) {
        return Endpoint.of(host(), port, database, SUPERUSER, PASSWORD)
                .withSslMode(tls ? SslMode.REQUIRE : SslMode.DISABLE);
    }

    /** {@code postgresql://postgres:PASSWORD@127.0.0.1:PORT/database?sslmode=disable} (or {@code require}). */
    public String uri(String database) {
        return uri(SUPERUSER, PASSWORD, database);
    }

    /** A URI for another role (created by the test). */
    public String uri(String user, String password, String database) {
        return "postgresql://" + user + ":" + password + "@" + host() + ":" + port + "/" + database
                + "?sslmode=" + sslMode();
    }

    /** The server's self-signed certificate (PEM), a client's root certificate for {@code verify-full}; TLS only. */
    public Path rootCertificate() {
        if (!tls) {
            throw new IllegalStateException(this + " was not started with tls()");
        }
        return dataDir.resolve(ServerTls.CERT);
    }

    private String sslMode() {
        return tls ? "require" : "disable";
    }

    @Override
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", PASSWORD);
        p.setProperty("sslmode", sslMode());
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), p);
    }

    public Path dataDirectory() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return running;
    }

    /** Starts the (stopped) server again. */
    public synchronized void start() {
        if (running) {
            return;
        }
        pgCtl("-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", "120", "start");
        running = true;
    }

    /** Stops the server (fast shutdown), keeping its data. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        pgCtl("-D", dataDir.toString(), "-m", "fast", "-w", "-t", "120", "stop");
        running = false;
    }

    /** Stops the server at once, as a crash would ({@code immediate} shutdown). */
    public synchronized void crash() {
        if (!running) {
            return;
        }
        pgCtl("-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "60", "stop");
        running = false;
    }

    public void restart() {
        stop();
        start();
    }

    /** Changes settings in postgresql.auto.conf; takes effect at the next restart or reload. */
    public void configure(Map<String, String> settings) {
        StringBuilder sb = new StringBuilder();
        settings.forEach((k, v) -> sb.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        try {
            Files.writeString(dataDir.resolve("postgresql.auto.conf"), sb.toString(),
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends a line to pg_hba.conf, before the defaults, and reloads. */
    public void prependHba(String line) {
        try {
            Path hba = dataDir.resolve("pg_hba.conf");
            List<String> lines = new ArrayList<>(Files.readAllLines(hba));
            lines.add(0, line);
            Files.write(hba, lines);
            execute("postgres", "SELECT pg_reload_conf()");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (running) {
                pgCtl("-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "60", "stop");
                running = false;
            }
        } finally {
            ServerFiles.deleteTree(dataDir.getParent());
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + major + " on 127.0.0.1:" + port + (tls ? " (TLS only)" : "");
    }

    private void init(Map<String, String> settings) {
        try {
            Path base = dataDir.getParent();
            Files.createDirectories(dataDir);
            Path pwFile = base.resolve("pwfile");
            Files.writeString(pwFile, PASSWORD + "\n");
            Files.writeString(logFile, "");
            if (runAsNobody) {
                PgBinaries.run("chmod", "a+rx", base.toString());
                PgBinaries.run("chown", "-R", "nobody", base.toString());
            }
            runTool("initdb", "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + pwFile, "-E", "UTF8",
                    "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync");
            Files.delete(pwFile);
            Map<String, String> all = ServerFiles.defaultSettings(port);
            if (tls) {
                all.putAll(ServerTls.install(dataDir, runAsNobody));
            }
            all.putAll(settings);
            StringBuilder conf = new StringBuilder("\n# testkit\n");
            all.forEach((k, v) -> conf.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
            Files.writeString(dataDir.resolve("postgresql.conf"), conf.toString(), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialise a PostgreSQL " + major + " data directory", e);
        }
        start();
    }

    private void pgCtl(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "pg_ctl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            runTool(cmd);
        } catch (IOException e) {
            throw new UncheckedIOException("pg_ctl " + String.join(" ", args) + " failed; server log: "
                    + ServerFiles.tail(logFile), e);
        }
    }

    private void runTool(String... cmd) throws IOException {
        List<String> full = new ArrayList<>();
        if (runAsNobody) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.add(binaries.resolve("bin").resolve(cmd[0]).toString());
        full.addAll(List.of(cmd).subList(1, cmd.length));
        PgBinaries.run(full.toArray(String[]::new));
    }

    /** Configures and starts a server. */
    public static final class Builder {
        private int major = 17;
        private boolean tls;
        private final Map<String, String> settings = new LinkedHashMap<>();

        public Builder major(int value) {
            this.major = value;
            return this;
        }

        /** A postgresql.conf setting, such as {@code setting("wal_level", "replica")}. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /**
         * TLS on, with a fresh self-signed certificate for 127.0.0.1 ({@link #rootCertificate()}), and every
         * connection without TLS refused; the server's own URIs and connections then use {@code sslmode=require}.
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        public PostgresServer start() {
            Path binaries = PgBinaries.install(major);
            try {
                Path work = Path.of(System.getProperty("pgrelocate.testkit.work", System.getProperty("java.io.tmpdir")));
                Files.createDirectories(work);
                Path base = Files.createTempDirectory(work, "pg" + major + "-");
                PostgresServer server = new PostgresServer(major, binaries, base, freePort(), tls);
                server.init(settings);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                s.setReuseAddress(true);
                return s.getLocalPort();
            }
        }
    }
}
