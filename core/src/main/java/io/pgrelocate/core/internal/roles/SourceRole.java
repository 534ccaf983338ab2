package io.pgrelocate.core.internal.roles;

import java.util.List;

/**
 * One role of the source as {@code pg_authid} describes it. {@code verifier} is the stored password verifier
 * (SCRAM or md5), null when there is none or it could not be read; {@link #toString()} never shows it.
 *
 * @param validUntil {@code rolvaliduntil} as text in UTC, or null
 * @param settings   role-level settings ({@code name=value}, as {@code pg_db_role_setting} holds them)
 */
public record SourceRole(String name, boolean superuser, boolean inherit, boolean createRole, boolean createDb,
                         boolean login, boolean replication, boolean bypassRls, int connectionLimit,
                         String validUntil, String verifier, String comment, List<String> settings) {
    public SourceRole {
        settings = List.copyOf(settings);
    }

    @Override
    public String toString() {
        return "role " + name + (verifier == null ? "" : " (password verifier hidden)");
    }
}
