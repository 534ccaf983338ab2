package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Locales of source databases against the target: an existing target database with another collation, or
 * a locale the target server does not have (the database is then created with the target's default, and
 * text sorts differently).
 */
final class Locales {
    private final ServerSession target;
    private Set<String> libcLocales;
    private Boolean hasIcu;

    Locales(ServerSession target) {
        this.target = target;
    }

    void compare(DatabaseInfo source, DatabaseInfo existing, Findings findings) {
        if (source.localeDescription().equals(existing.localeDescription())) {
            return;
        }
        findings.warning(FindingCode.LOCALE_DIFFERS, source.name(), "database " + source.name() + ": "
                + source.localeDescription() + " on the source, " + existing.localeDescription() + " on the target; text sorts and "
                + "compares differently, and unique indexes on text may disagree", "DROP DATABASE "
                + Sql.ident(source.name()) + ";   -- on the target, if it may go: the migration then creates it "
                + "with the source's locale");
    }

    void checkCreatable(DatabaseInfo source, Findings findings) throws SQLException {
        String missing = null;
        switch (String.valueOf(source.localeProvider())) {
            case "i" -> {
                if (!icu()) {
                    missing = "ICU locale " + source.locale() + " (the target has no ICU support)";
                }
            }
            case "b" -> {
                if (!target.info().atLeast(17)) {
                    missing = "builtin locale provider (PostgreSQL 17 and newer)";
                }
            }
            default -> {
            }
        }
        if (missing == null && !libc(source.collate())) {
            missing = "libc locale " + source.collate();
        } else if (missing == null && !libc(source.ctype())) {
            missing = "libc locale " + source.ctype();
        }
        if (missing != null) {
            findings.warning(FindingCode.LOCALE_DIFFERS, source.name(), "database " + source.name() + ": the "
                    + "target lacks the source's " + missing + ", so the migration creates it with the target's "
                    + "default locale and text may sort differently", "install the locale on the target's operating "
                    + "system (for libc: locale-gen, then restart the target), or create database "
                    + source.name() + " on the target beforehand with a locale of your choice");
        }
    }

    private boolean libc(String locale) throws SQLException {
        String n = normalise(locale);
        if (n.equals("c") || n.equals("posix")) {
            return true;
        }
        if (libcLocales == null) {
            libcLocales = new HashSet<>();
            List<String> known = Queries.column(target.connection(), "SELECT collcollate FROM pg_collation "
                    + "WHERE collprovider = 'c' AND collcollate IS NOT NULL UNION SELECT datcollate FROM pg_database "
                    + "UNION SELECT datctype FROM pg_database");
            known.forEach(k -> libcLocales.add(normalise(k)));
        }
        return libcLocales.contains(n);
    }

    private boolean icu() throws SQLException {
        if (hasIcu == null) {
            hasIcu = Queries.bool(target.connection(), "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i')");
        }
        return hasIcu;
    }

    // en_US.UTF-8 and en_US.utf8 name the same locale
    static String normalise(String locale) {
        return locale == null ? "" : locale.toLowerCase(Locale.ROOT).replace("-", "");
    }

}
