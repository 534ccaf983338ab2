package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.dump.Difference;
import io.pgrelocate.dump.Difference.Problem;
import io.pgrelocate.dump.internal.verify.CatalogSnapshot.ObjectKey;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Compares two {@link CatalogSnapshot}s of one database, object by object and attribute by attribute. */
final class SchemaComparison {
    /** Kinds whose identity ends with {@code " on " + table}, or (columns) starts with {@code table + "."}. */
    private static final Set<String> TABLE_PARTS = Set.of("column", "constraint", "trigger", "rule", "policy");

    private final String database;
    private final Set<String> sourceRoles;
    private final Set<String> targetRoles;
    private final boolean straddles16;

    /**
     * The role sets decide whether an owner can be compared (only when it exists on both servers); the majors
     * whether deparsed queries are compared without relation qualifiers ({@link Pg16Deparse}).
     */
    SchemaComparison(String database, Set<String> sourceRoles, Set<String> targetRoles, int sourceMajor,
                     int targetMajor) {
        this.database = database;
        this.sourceRoles = sourceRoles;
        this.targetRoles = targetRoles;
        this.straddles16 = Pg16Deparse.straddles(sourceMajor, targetMajor);
    }

    List<Difference> compare(CatalogSnapshot source, CatalogSnapshot target) {
        // the source's keys, then the target's own: in the order a union would have, without copying them all
        Iterable<ObjectKey> keys = () -> java.util.stream.Stream.concat(source.objects().keySet().stream(),
                target.objects().keySet().stream().filter(k -> !source.objects().containsKey(k))).iterator();
        Set<String> missingTables = new LinkedHashSet<>();
        Set<String> extraTables = new LinkedHashSet<>();
        for (ObjectKey k : keys) {
            if (k.kind().equals("table") && !target.objects().containsKey(k)) {
                missingTables.add(k.identity());
            } else if (k.kind().equals("table") && !source.objects().containsKey(k)) {
                extraTables.add(k.identity());
            }
        }
        List<Difference> out = new ArrayList<>();
        for (ObjectKey k : keys) {
            Map<String, String> s = source.objects().get(k);
            Map<String, String> t = target.objects().get(k);
            if (t == null) {
                if (!partOf(k, missingTables)) {
                    out.add(difference(k, Problem.MISSING_ON_TARGET, ""));
                }
            } else if (s == null) {
                if (!partOf(k, extraTables)) {
                    out.add(difference(k, Problem.EXTRA_ON_TARGET, ""));
                }
            } else {
                String detail = attributes(k.kind(), bothInitdbDefault(s, t), s, t);
                if (!detail.isEmpty()) {
                    out.add(difference(k, Problem.DEFINITION_DIFFERS, detail));
                }
            }
        }
        return out;
    }

    /** A column, constraint, trigger, rule or policy of a table already reported missing or extra. */
    private static boolean partOf(ObjectKey k, Set<String> tables) {
        if (!TABLE_PARTS.contains(k.kind())) {
            return false;
        }
        for (String table : tables) {
            boolean part = k.kind().equals("column") ? k.identity().startsWith(table + ".")
                    : k.identity().endsWith(" on " + table);
            if (part) {
                return true;
            }
        }
        return false;
    }

    /**
     * The public schema's privileges as initdb set them on each side: they differ between majors (15 took
     * CREATE from PUBLIC) without anyone having changed them.
     */
    private static boolean bothInitdbDefault(Map<String, String> source, Map<String, String> target) {
        return "true".equals(source.get(CatalogQueries.INITDB_DEFAULT))
                && "true".equals(target.get(CatalogQueries.INITDB_DEFAULT));
    }

    private String attributes(String kind, boolean initdbDefault, Map<String, String> source,
                              Map<String, String> target) {
        Set<String> names = new LinkedHashSet<>(source.keySet());
        names.addAll(target.keySet());
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            String s = source.get(name);
            String t = target.get(name);
            if (Objects.equals(s, t) || name.equals(CatalogQueries.INITDB_DEFAULT)
                    || initdbDefault && name.equals("acl")
                    || name.equals("owner") && !comparableOwners(s, t)
                    || straddles16 && Pg16Deparse.sameQuery(kind, name, s, t)) {
                continue;
            }
            parts.add(name + ": " + TextDiff.describe(s, t));
        }
        return String.join("; ", parts);
    }

    /**
     * An owner role the other server lacks could not have been given the copy: the copy belongs to whoever
     * made it, which is not a difference worth reporting.
     */
    private boolean comparableOwners(String source, String target) {
        boolean sourceRoleMissing = sourceRoles.contains(source) && !targetRoles.contains(source);
        boolean targetRoleMissing = targetRoles.contains(target) && !sourceRoles.contains(target);
        return !sourceRoleMissing && !targetRoleMissing;
    }

    private Difference difference(ObjectKey k, Problem problem, String detail) {
        return new Difference(database, k.kind(), k.identity(), problem, detail);
    }
}
