package io.pgrelocate.core;

import io.pgrelocate.core.internal.EndpointParser;
import io.pgrelocate.core.internal.PgPass;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a PostgreSQL server is and how to log in: host, port, database, user, password and TLS mode.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Endpoint source = Endpoint.parse("postgresql://doadmin@old-host:25060/defaultdb?sslmode=require");
 * Endpoint target = Endpoint.parse("jdbc:postgresql://new-host:5432/postgres?user=admin");
 * }</pre>
 *
 * <p>The password comes from the URI (or {@link #withPassword}, {@link #withPasswordFile}), else
 * {@code PGPASSWORD}, else the password file ({@code PGPASSFILE} or {@code ~/.pgpass}) looked up for the
 * database actually connected to. {@link #toString()} never shows it. A password written in a URI on a command
 * line stays visible to every local user in {@code ps} for as long as the process runs: prefer
 * {@code PGPASSWORD}, {@code ~/.pgpass} or a file read by {@link #withPasswordFile}.
 */
public final class Endpoint {
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final SslMode sslMode;
    private final Map<String, String> driverProperties;
    private final Map<String, String> env;

    private Endpoint(String host, int port, String database, String user, String password, SslMode sslMode,
                     Map<String, String> driverProperties, Map<String, String> env) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new PgRelocateException(ErrorCode.INVALID_URI, "port " + port + " is out of range 1-65535");
        }
        this.port = port;
        this.database = Objects.requireNonNull(database, "database");
        this.user = Objects.requireNonNull(user, "user");
        this.password = password;
        this.sslMode = Objects.requireNonNull(sslMode, "sslMode");
        this.driverProperties = Collections.unmodifiableMap(new LinkedHashMap<>(driverProperties));
        this.env = env;
    }

    /**
     * Parses a libpq URI ({@code postgresql://user:pass@host:port/db?sslmode=require}) or a pgjdbc URL
     * ({@code jdbc:postgresql://host:port/db?user=...}), reading {@code PGPASSWORD}, {@code PGUSER},
     * {@code PGPASSFILE} and {@code HOME} from the process environment.
     *
     * @throws PgRelocateException with {@link ErrorCode#INVALID_URI}; the message never repeats a password
     */
    public static Endpoint parse(String uri) {
        return parse(uri, System.getenv());
    }

    /** As {@link #parse(String)}, with the environment given explicitly (for tests and embedding). */
    public static Endpoint parse(String uri, Map<String, String> env) {
        EndpointParser.Parts p = EndpointParser.parse(uri, env);
        return new Endpoint(p.host(), p.port(), p.database(), p.user(), p.password(), p.sslMode(),
                p.driverProperties(), Map.copyOf(env));
    }

    /** An endpoint from its parts; {@code password} may be {@code null} to look it up as libpq does. */
    public static Endpoint of(String host, int port, String database, String user, String password) {
        return new Endpoint(host, port, database, user, password, SslMode.PREFER, Map.of(), System.getenv());
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The database connected to (for the source: the one used to list the others). */
    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public SslMode sslMode() {
        return sslMode;
    }

    /** Whether a password was given in the URI or to {@link #of}, rather than looked up. */
    public boolean hasExplicitPassword() {
        return password != null;
    }

    /** The same server and credentials, connected to another database. */
    public Endpoint withDatabase(String otherDatabase) {
        return new Endpoint(host, port, otherDatabase, user, password, sslMode, driverProperties, env);
    }

    public Endpoint withSslMode(SslMode mode) {
        return new Endpoint(host, port, database, user, password, mode, driverProperties, env);
    }

    /** The equivalent of a provider API's {@code disable_ssl}: connect without TLS. */
    public Endpoint withoutSsl() {
        return withSslMode(SslMode.DISABLE);
    }

    /**
     * The same server and database, logged in as {@code otherUser} with {@code otherPassword} ({@code null}: looked
     * up as libpq does, from {@code PGPASSWORD} or the password file, for that user).
     */
    public Endpoint withUser(String otherUser, String otherPassword) {
        return new Endpoint(host, port, database, otherUser, otherPassword, sslMode, driverProperties, env);
    }

    public Endpoint withPassword(String newPassword) {
        return new Endpoint(host, port, database, user, newPassword, sslMode, driverProperties, env);
    }

    /**
     * The same endpoint with the password read from {@code file}: its first line, without the line break (the
     * form of Docker and Kubernetes secrets, or {@code echo pw > file}). Read now, so a missing file fails here.
     *
     * @throws PgRelocateException ({@link ErrorCode#INVALID_CONFIG}) naming the file, never its content
     */
    public Endpoint withPasswordFile(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int eol = content.indexOf('\n');
            String line = eol < 0 ? content : content.substring(0, eol);
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (line.isEmpty()) {
                throw new PgRelocateException(ErrorCode.INVALID_CONFIG, "password file " + file + " is empty");
            }
            return withPassword(line);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PgRelocateException p) {
                throw p;
            }
            throw new PgRelocateException(ErrorCode.INVALID_CONFIG, "cannot read password file " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** The pgjdbc URL for this endpoint; it never contains the password. */
    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /**
     * The pgjdbc connection properties, password included. For connection code only: never log,
     * print or store the result.
     */
    public Properties driverProperties() {
        Properties props = new Properties();
        props.putAll(driverProperties);
        props.setProperty("user", user);
        props.setProperty("sslmode", sslMode.libpqName());
        String pw = resolvePassword();
        if (pw != null) {
            props.setProperty("password", pw);
        }
        return props;
    }

    private String resolvePassword() {
        if (password != null) {
            return password;
        }
        String fromEnv = env.get("PGPASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        return PgPass.lookup(env, host, port, database, user).orElse(null);
    }

    /** A libpq-style URI without the password, for messages and logs. */
    public String display() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        StringBuilder sb = new StringBuilder("postgresql://")
                .append(EndpointParser.encode(user)).append('@').append(h).append(':').append(port)
                .append('/').append(EndpointParser.encode(database));
        if (sslMode != SslMode.PREFER) {
            sb.append("?sslmode=").append(sslMode.libpqName());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return display();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && host.equals(e.host) && port == e.port && database.equals(e.database)
                && user.equals(e.user) && Objects.equals(password, e.password) && sslMode == e.sslMode
                && driverProperties.equals(e.driverProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, database, user, sslMode);
    }
}
