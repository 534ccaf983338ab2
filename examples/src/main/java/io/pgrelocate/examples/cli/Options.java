package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.Mode;

import java.util.Locale;

/** Options several commands share: endpoints (whose passwords the console then hides), mode, databases. */
final class Options {
    private Options() {
    }

    static Endpoint endpoint(Args args, String name, Console console) {
        Endpoint e = Endpoint.parse(args.require(name));
        if (args.has(name + Args.PASSWORD_FILE)) {
            e = e.withPasswordFile(java.nio.file.Path.of(args.get(name + Args.PASSWORD_FILE)));
        }
        console.secret(e.driverProperties().getProperty("password"));
        return args.has("disable-ssl") ? e.withoutSsl() : e;
    }

    static Mode mode(Args args, Mode fallback) {
        String m = args.get("mode");
        if (m == null) {
            if (fallback == null) {
                throw new UsageException("option --mode is required: continuous or dump");
            }
            return fallback;
        }
        return switch (m.toLowerCase(Locale.ROOT)) {
            case "continuous" -> Mode.CONTINUOUS;
            case "dump" -> Mode.DUMP;
            default -> throw new UsageException("--mode must be continuous or dump, not '" + m + "'");
        };
    }

    /** Source, target, mode, database selection and the options every migration command understands. */
    static MigrationBuilder builder(Args args, Console console, Mode fallbackMode) {
        MigrationBuilder b = io.pgrelocate.core.Migration.builder()
                .source(endpoint(args, "source", console))
                .target(endpoint(args, "target", console))
                .mode(mode(args, fallbackMode))
                .databases(args.all("database"))
                .ignoreDatabases(args.all("ignore-database"))
                .setReplicaIdentityFull(args.has("set-replica-identity-full"))
                .allowNonEmptyTarget(args.has("allow-non-empty-target"));
        if (args.has("id")) {
            b.migrationId(args.get("id"));
        }
        if (args.has("roles")) {
            b.roles(roles(args.get("roles")));
        }
        return b;
    }

    private static io.pgrelocate.core.RoleSelection roles(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "needed" -> io.pgrelocate.core.RoleSelection.NEEDED;
            case "all" -> io.pgrelocate.core.RoleSelection.ALL;
            case "none" -> io.pgrelocate.core.RoleSelection.NONE;
            default -> throw new UsageException("--roles must be needed, all or none, not '" + value + "'");
        };
    }
}
