package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.Severity;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Extensions installed on the source against what the target can install: the schema copy runs
 * {@code CREATE EXTENSION}, which needs the extension's files on the target server, and creates the target's
 * default version.
 */
final class Extensions {
    private Extensions() {
    }

    static void check(List<SourceDatabaseChecks.SourceExtension> installed, ServerSession target, Findings findings)
            throws SQLException {
        Map<String, String> defaults = Queries.map(target.connection(),
                "SELECT name, default_version FROM pg_available_extensions");
        Set<String> versions = new TreeSet<>(Queries.column(target.connection(),
                "SELECT name || ' ' || version FROM pg_available_extension_versions"));
        // trusted extensions (13+) may be created by a role with CREATE on the database
        Set<String> untrusted = target.info().superuser() ? Set.of() : new TreeSet<>(Queries.column(target.connection(),
                "SELECT e.name FROM pg_available_extensions e JOIN pg_available_extension_versions v "
                        + "ON v.name = e.name AND v.version = e.default_version WHERE v.superuser AND NOT v.trusted"));
        Map<String, List<SourceDatabaseChecks.SourceExtension>> byName = new LinkedHashMap<>();
        installed.forEach(e -> byName.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<SourceDatabaseChecks.SourceExtension>> entry : byName.entrySet()) {
            String name = entry.getKey();
            Set<String> dbs = new TreeSet<>();
            Set<String> sourceVersions = new TreeSet<>();
            entry.getValue().forEach(e -> {
                dbs.add(e.database());
                sourceVersions.add(e.version());
            });
            String where = " (in " + String.join(", ", dbs) + ")";
            String targetDefault = defaults.get(name);
            if (targetDefault == null) {
                findings.error(FindingCode.EXTENSION_UNAVAILABLE, name, "extension " + name + " " + String.join("/",
                        sourceVersions) + " is installed on the source" + where + " but the target cannot install "
                        + "it (its files are not on the target server)", "-- install the extension's package on the "
                        + "target server (a managed service lists the extensions it supports); or, if it is not "
                        + "used, remove it on the source, in " + String.join(", ", dbs) + ":\nDROP EXTENSION "
                        + Sql.ident(name) + ";");
                continue;
            }
            if (untrusted.contains(name)) {
                findings.warning(FindingCode.EXTENSION_NEEDS_SUPERUSER, name, "extension " + name + where + " is not "
                        + "trusted, so only a superuser may create it on the target and role " + target.user() + " is "
                        + "not one: the copy leaves it out with a warning, and objects that need it will fail",
                        "-- on the target, as a superuser or through the service's own extension tooling, in each "
                        + "database once created:\nCREATE EXTENSION " + Sql.ident(name) + ";");
            }
            for (String v : sourceVersions) {
                if (v.equals(targetDefault)) {
                    continue;
                }
                boolean available = versions.contains(name + " " + v);
                findings.add(FindingCode.EXTENSION_VERSION_DIFFERS, available ? Severity.INFO
                        : Severity.WARNING, name, "extension " + name + " is version " + v
                        + " on the source" + where + "; the target creates version " + targetDefault
                        + (available ? "" : " and cannot install " + v), "ALTER EXTENSION " + Sql.ident(name)
                        + " UPDATE TO " + Sql.literal(targetDefault) + ";   -- on the source, where "
                        + targetDefault + " is available there, so both sides match");
            }
        }
    }
}
