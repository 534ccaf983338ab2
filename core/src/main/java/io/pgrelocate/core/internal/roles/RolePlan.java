package io.pgrelocate.core.internal.roles;

import java.util.ArrayList;
import java.util.List;

/**
 * What a migration will do with each source role it brings along, decided before anything is created, so
 * that preflight and the engines say the same. Thread-safe (immutable).
 */
public record RolePlan(List<Entry> entries, SourceRoles source, TargetRoles target) {
    /** What happens to one role. */
    public enum Action {
        /** Created on the target. */
        CREATE,
        /** The target has a role of that name already: left as it is. */
        EXISTS,
        /** The migration role may not create roles (neither superuser nor CREATEROLE). */
        CANNOT_CREATE
    }

    /**
     * @param withheld      attributes the migration role may not grant on the target's major, left out
     * @param needsPassword a login role whose verifier could not be read: a password must be set by hand
     */
    public record Entry(SourceRole role, Action action, List<String> withheld, boolean needsPassword) {
        public Entry {
            withheld = List.copyOf(withheld);
        }
    }

    public RolePlan {
        entries = List.copyOf(entries);
    }

    /** Decides for every role in {@code source}. */
    public static RolePlan of(SourceRoles source, TargetRoles target) {
        List<Entry> out = new ArrayList<>();
        for (SourceRole r : source.roles()) {
            if (target.existing().contains(r.name())) {
                out.add(new Entry(r, Action.EXISTS, List.of(), false));
            } else if (!target.superuser() && !target.createRole()) {
                out.add(new Entry(r, Action.CANNOT_CREATE, List.of(), false));
            } else {
                out.add(new Entry(r, Action.CREATE, withheld(r, target),
                        r.login() && !source.verifiersReadable()));
            }
        }
        return new RolePlan(out, source, target);
    }

    public List<Entry> with(Action action) {
        return entries.stream().filter(e -> e.action() == action).toList();
    }


    /**
     * Before 16, CREATEROLE may create any role but a superuser, and only a superuser grants REPLICATION and
     * BYPASSRLS; from 16 a CREATEROLE role grants CREATEDB, REPLICATION and BYPASSRLS only if it has them.
     */
    private static List<String> withheld(SourceRole r, TargetRoles t) {
        List<String> out = new ArrayList<>();
        if (t.superuser()) {
            return out;
        }
        boolean pg16 = t.major() >= 16;
        if (r.superuser()) {
            out.add("SUPERUSER");
        }
        if (r.createDb() && pg16 && !t.createDb()) {
            out.add("CREATEDB");
        }
        if (r.replication() && (!pg16 || !t.replication())) {
            out.add("REPLICATION");
        }
        if (r.bypassRls() && (!pg16 || !t.bypassRls())) {
            out.add("BYPASSRLS");
        }
        return out;
    }
}
