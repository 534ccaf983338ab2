package io.pgrelocate.replication.internal;

import io.pgrelocate.core.FenceMode;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of a fence, kept where a process that knows only the source can find it: the comment of the fenced
 * database (shared catalogs, so readable from any database, not replicated and not seen by event triggers). It holds
 * what lifting needs to put back exactly: the database's own comment, its earlier
 * {@code default_transaction_read_only} setting and the roles whose CONNECT a strong fence revoked.
 *
 * @param migrationId  the migration that set it
 * @param mode         {@link FenceMode#READ_ONLY} or {@link FenceMode#STRONG}
 * @param readOnly     the database's own {@code default_transaction_read_only} setting before the fence, or null
 * @param comment      the database's comment before the fence, or null
 * @param revoked      roles ({@code PUBLIC} for everyone) whose CONNECT a strong fence revoked
 * @param grantable    those of them that could grant it to others
 * @param acl          the database's ACL before the fence, as text, for the log
 */
record FenceMarker(String migrationId, FenceMode mode, String readOnly, String comment, List<String> revoked,
                   List<String> grantable, String acl) {
    static final String PREFIX = "pgrelocate-fence ";

    FenceMarker {
        revoked = List.copyOf(revoked);
        grantable = List.copyOf(grantable);
    }

    String encode() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("migration", migrationId);
        fields.put("mode", mode.name());
        fields.put("readonly", readOnly);
        fields.put("comment", comment);
        fields.put("revoked", join(revoked));
        fields.put("grantable", join(grantable));
        fields.put("acl", acl);
        StringBuilder sb = new StringBuilder(PREFIX);
        fields.forEach((k, v) -> {
            if (v != null) {
                sb.append(sb.length() == PREFIX.length() ? "" : "&").append(k).append('=').append(enc(v));
            }
        });
        return sb.toString();
    }

    /** The marker a database comment holds, if it is one. */
    static Optional<FenceMarker> decode(String comment) {
        if (comment == null || !comment.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : comment.substring(PREFIX.length()).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), dec(pair.substring(eq + 1)));
            }
        }
        FenceMode mode = "STRONG".equals(fields.get("mode")) ? FenceMode.STRONG : FenceMode.READ_ONLY;
        return Optional.of(new FenceMarker(fields.getOrDefault("migration", ""), mode, fields.get("readonly"),
                fields.get("comment"), split(fields.get("revoked")), split(fields.get("grantable")), fields.get("acl")));
    }

    // each name encoded, so a comma inside one cannot split it
    private static String join(List<String> names) {
        return names.isEmpty() ? null : String.join(",", names.stream().map(FenceMarker::enc).toList());
    }

    private static List<String> split(String joined) {
        List<String> out = new ArrayList<>();
        if (joined != null) {
            for (String r : joined.split(",")) {
                out.add(dec(r));
            }
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
