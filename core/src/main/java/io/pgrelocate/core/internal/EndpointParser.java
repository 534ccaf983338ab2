package io.pgrelocate.core.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.SslMode;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses libpq URIs, libpq {@code key=value} connection strings and pgjdbc URLs into endpoint parts. No message
 * it throws contains a password, whatever the input: URIs are shown with every password masked (also in forms
 * the parser cannot read), and a {@code key=value} string is never shown, only its keywords.
 */
public final class EndpointParser {
    /** libpq query parameters we accept, mapped to their pgjdbc property names ("" = handled here). */
    private static final Map<String, String> LIBPQ_PARAMS = Map.ofEntries(
            Map.entry("host", ""), Map.entry("port", ""), Map.entry("dbname", ""), Map.entry("user", ""),
            Map.entry("password", ""), Map.entry("sslmode", ""),
            Map.entry("sslrootcert", "sslrootcert"), Map.entry("sslcert", "sslcert"), Map.entry("sslkey", "sslkey"),
            Map.entry("sslpassword", "sslpassword"), Map.entry("connect_timeout", "connectTimeout"),
            Map.entry("application_name", "ApplicationName"), Map.entry("options", "options"),
            Map.entry("gssencmode", "gssEncMode"), Map.entry("channel_binding", "channelBinding"));

    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(://[^/@?]*?:)[^/?]*@");
    /** Any {@code :...@} left after {@link #USERINFO_PASSWORD}, as in the malformed {@code postgresql:/u:pw@h}. */
    private static final Pattern ANY_USERINFO = Pattern.compile(":[^@]*@");
    /** A port that is not a number may be a password typed where the host should be: {@code //user:pw/db}. */
    private static final Pattern ODD_PORT = Pattern.compile("(://[^/@?:]*:)[^/?@]*[^0-9/?@][^/?@]*(?=[/?]|$)");
    private static final Set<String> SHOWN_PARAMS = Set.of("host", "port", "dbname", "user", "connect_timeout",
            "application_name", "ssl", "sslrootcert", "sslcert", "sslkey", "gssencmode", "channel_binding");
    private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&;\\s](?:ssl)?password=)[^&;]*");

    /** The parsed parts; {@code password} may be null. */
    public record Parts(String host, int port, String database, String user, String password, SslMode sslMode,
                        Map<String, String> driverProperties) {
        @Override
        public String toString() {
            return "Parts[" + user + "@" + host + ":" + port + "/" + database + "]";
        }
    }

    private EndpointParser() {
    }

    public static Parts parse(String uri, Map<String, String> env) {
        if (uri == null || uri.isBlank()) {
            throw invalid("empty connection URI", "");
        }
        String trimmed = uri.trim();
        if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
            return parseLibpq(trimmed, env);
        }
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return parseJdbc(trimmed, env);
        }
        // libpq reads any string with an '=' that is not a URI as key=value pairs
        if (trimmed.contains("=") && !trimmed.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return parseConninfo(trimmed, env);
        }
        throw invalid("unrecognised connection URI", trimmed);
    }

    /** libpq's {@code key=value} form; the string itself is never shown in a message, it may hold a password. */
    private static Parts parseConninfo(String conninfo, Map<String, String> env) {
        Map<String, String> values = Conninfo.parse(conninfo, LIBPQ_PARAMS.keySet());
        Map<String, String> driver = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String mapped = LIBPQ_PARAMS.get(e.getKey());
            if (mapped == null) {
                throw Conninfo.invalid("unsupported keyword " + Conninfo.printable(e.getKey(), Set.of()) + " (supported: "
                        + String.join(", ", new java.util.TreeSet<>(LIBPQ_PARAMS.keySet())) + ")");
            }
            if (!mapped.isEmpty()) {
                driver.put(mapped, e.getValue());
            }
        }
        Integer port = null;
        if (values.get("port") != null && !values.get("port").isEmpty()) {
            try {
                port = parsePort(values.get("port"), "");
            } catch (PgRelocateException e) {
                throw Conninfo.invalid("invalid port: not a number from 1 to 65535");
            }
        }
        return finish(values.get("host"), port, values.get("dbname"), values.get("user"), values.get("password"),
                values.get("sslmode"), driver, env, "");
    }

    private static Parts parseLibpq(String uri, Map<String, String> env) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        Map<String, String> query = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw invalid("malformed query parameter: no '='", uri);
                }
                query.put(decode(pair.substring(0, eq), uri), decode(pair.substring(eq + 1), uri));
            }
            rest = rest.substring(0, q);
        }
        String path = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userinfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userinfo.indexOf(':');
            if (colon >= 0) {
                password = decode(userinfo.substring(colon + 1), uri);
                userinfo = userinfo.substring(0, colon);
            }
            user = userinfo.isEmpty() ? null : decode(userinfo, uri);
        }
        if (rest.contains(",")) {
            throw invalid("several hosts in one URI are not supported; give the primary's host", uri);
        }
        String host = null;
        Integer port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw invalid("unterminated IPv6 address", uri);
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid("unexpected text after the IPv6 address", uri);
                }
                port = parsePort(after.substring(1), uri);
            }
        } else if (!rest.isEmpty()) {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                port = parsePort(rest.substring(colon + 1), uri);
                rest = rest.substring(0, colon);
            }
            host = rest.isEmpty() ? null : decode(rest, uri);
        }
        Map<String, String> driver = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : query.entrySet()) {
            String mapped = LIBPQ_PARAMS.get(e.getKey());
            if (mapped == null) {
                throw invalid("unsupported URI parameter '" + e.getKey() + "' (supported: "
                        + String.join(", ", new java.util.TreeSet<>(LIBPQ_PARAMS.keySet())) + ")", uri);
            }
            if (!mapped.isEmpty()) {
                driver.put(mapped, e.getValue());
            }
        }
        host = first(query.get("host"), host);
        if (query.containsKey("port")) {
            port = parsePort(query.get("port"), uri);
        }
        user = first(query.get("user"), user);
        password = first(query.get("password"), password);
        String database = first(query.get("dbname"), path == null || path.isEmpty() ? null : decode(path, uri));
        return finish(host, port, database, user, password, query.get("sslmode"), driver, env, uri);
    }

    private static Parts parseJdbc(String url, Map<String, String> env) {
        String rest = url.substring("jdbc:postgresql:".length());
        Map<String, String> query = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(key, value);
            }
            rest = rest.substring(0, q);
        }
        String host = null;
        Integer port = null;
        String database;
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            int slash = rest.indexOf('/');
            String hostspec = slash < 0 ? rest : rest.substring(0, slash);
            database = slash < 0 ? null : rest.substring(slash + 1);
            if (hostspec.contains(",")) {
                throw invalid("several hosts in one URL are not supported; give the primary's host", url);
            }
            if (hostspec.startsWith("[")) {
                int close = hostspec.indexOf(']');
                if (close < 0) {
                    throw invalid("unterminated IPv6 address", url);
                }
                host = hostspec.substring(1, close);
                if (hostspec.length() > close + 1) {
                    port = parsePort(hostspec.substring(close + 2), url);
                }
            } else if (!hostspec.isEmpty()) {
                int colon = hostspec.lastIndexOf(':');
                host = colon < 0 ? hostspec : hostspec.substring(0, colon);
                port = colon < 0 ? null : parsePort(hostspec.substring(colon + 1), url);
            }
        } else {
            database = rest.startsWith("/") ? rest.substring(1) : rest;
        }
        if (database != null) {
            database = database.isEmpty() ? null : URLDecoder.decode(database, StandardCharsets.UTF_8);
        }
        String user = query.remove("user");
        String password = query.remove("password");
        String sslmode = query.remove("sslmode");
        String ssl = query.remove("ssl");
        if (sslmode == null && "true".equalsIgnoreCase(ssl)) {
            sslmode = "require";
        }
        query.remove("PGHOST");
        query.remove("PGPORT");
        query.remove("PGDBNAME");
        return finish(host, port, database, user, password, sslmode, query, env, url);
    }

    private static Parts finish(String host, Integer port, String database, String user, String password,
                                String sslmode, Map<String, String> driver, Map<String, String> env, String uri) {
        if (host == null || host.isEmpty()) {
            String envHost = env.get("PGHOST");
            host = envHost == null || envHost.isEmpty() || envHost.startsWith("/") ? "localhost" : envHost;
        }
        if (port == null) {
            port = env.containsKey("PGPORT") ? Integer.valueOf(parsePort(env.get("PGPORT"), "PGPORT")) : Integer.valueOf(5432);
        }
        if (user == null || user.isEmpty()) {
            user = first(env.get("PGUSER"), System.getProperty("user.name"));
        }
        if (database == null || database.isEmpty()) {
            database = first(env.get("PGDATABASE"), user);
        }
        SslMode mode = SslMode.fromLibpqName(first(sslmode, first(env.get("PGSSLMODE"), "prefer")));
        if (password != null && password.isEmpty()) {
            password = null;
        }
        return new Parts(host, port, database, user, password, mode, driver);
    }

    private static int parsePort(String text, String uri) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid("invalid port: not a number from 1 to 65535", uri);
    }

    private static String first(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    /** Percent-decoding as libpq does it: {@code %XX} only, {@code +} stays a plus. */
    static String decode(String s, String uri) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw invalid("truncated percent-encoding", uri);
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalid("invalid percent-encoding", uri);
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Percent-encodes what libpq would not read back literally in a URI's user or path part. */
    public static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** The URI with any password replaced by {@code ****}, also in a form the parser cannot read. */
    public static String mask(String uri) {
        String masked = USERINFO_PASSWORD.matcher(uri).replaceAll("$1****@");
        if (masked.equals(uri)) {
            masked = ANY_USERINFO.matcher(uri).replaceAll(":****@");
        }
        masked = ODD_PORT.matcher(masked).replaceAll("$1****");
        masked = QUERY_PASSWORD.matcher(masked).replaceAll("$1****");
        int q = masked.indexOf('?');
        return q < 0 ? masked : masked.substring(0, q + 1) + maskQuery(masked.substring(q + 1));
    }

    /** A query with only the values known to be harmless kept; a parameter without '=' is not shown at all. */
    private static String maskQuery(String query) {
        StringBuilder sb = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq);
            String shown = eq < 0 ? "****" : SHOWN_PARAMS.contains(key) ? pair : key + "=****";
            sb.append(sb.length() == 0 ? "" : "&").append(shown);
        }
        return sb.toString();
    }

    static PgRelocateException invalid(String what, String uri) {
        // a string that is not a URI may be key=value text, where a password cannot be told apart reliably
        boolean uriLike = uri.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*:.*") && !uri.contains("\n");
        String shown = uri.isEmpty() ? "" : uriLike ? ": " + mask(uri) : " (input not shown)";
        return new PgRelocateException(ErrorCode.INVALID_URI, "invalid connection URI (" + what + ")" + shown
                + " ; expected postgresql://user[:password]@host[:port]/dbname[?sslmode=...], "
                + "host=... port=... user=... dbname=..., or jdbc:postgresql://host[:port]/dbname");
    }
}
