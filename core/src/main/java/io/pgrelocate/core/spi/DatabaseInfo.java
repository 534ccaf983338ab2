package io.pgrelocate.core.spi;

/**
 * One database of a cluster, as {@code pg_database} describes it.
 *
 * @param localeProvider {@code c} (libc), {@code i} (ICU) or {@code b} (builtin, 17+)
 * @param locale         the ICU or builtin locale, or null
 */
public record DatabaseInfo(String name, String owner, String encoding, String collate, String ctype,
                           String localeProvider, String locale, boolean isTemplate, boolean allowConnections) {
    /** Collation, character type and locale provider, such as {@code collate C, ctype C, libc}. */
    public String localeDescription() {
        String provider = switch (String.valueOf(localeProvider)) {
            case "i" -> "icu " + locale;
            case "b" -> "builtin " + locale;
            default -> "libc";
        };
        return "collate " + collate + ", ctype " + ctype + ", " + provider;
    }
}
