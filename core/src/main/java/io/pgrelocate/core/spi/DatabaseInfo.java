package io.pgrelocate.core.spi;

/**
 * One database of a cluster, as {@code pg_database} describes it.
 *
 * @param localeProvider {@code c} (libc), {@code i} (ICU) or {@code b} (builtin, 17+)
 * @param locale         the ICU or builtin locale, or null
 */
public record DatabaseInfo(String name, String owner, String encoding, String collate, String ctype,
                           String localeProvider, String locale, boolean isTemplate, boolean allowConnections) {
}
