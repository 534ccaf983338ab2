package io.pgrelocate.core.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names pgrelocate gives to what it creates on the source, so that every module (and
 * {@code cleanup}) finds them again. All are lower-case, at most 63 bytes and need no quoting.
 */
public final class Names {
    /** Every slot and publication name starts with this. */
    public static final String PREFIX = "pgrelocate_";

    private Names() {
    }

    /**
     * The logical replication slot of {@code database} in migration {@code migrationId}: slots are
     * cluster-wide, so the name carries the database (a readable part and a hash, for uniqueness).
     */
    public static String slot(String migrationId, String database) {
        String readable = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (readable.length() > 12) {
            readable = readable.substring(0, 12);
        }
        String name = PREFIX + migrationId + "_" + readable + "_" + hash(database);
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** The publication of migration {@code migrationId} (publications live inside one database). */
    public static String publication(String migrationId) {
        return PREFIX + migrationId;
    }

    /** Whether {@code name} (of a slot or publication) was made by pgrelocate. */
    public static boolean isOurs(String name) {
        return name.startsWith(PREFIX);
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
