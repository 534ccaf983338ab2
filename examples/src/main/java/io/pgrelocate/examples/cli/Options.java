package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.Mode;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Options several commands share, as picocli mixins, and how they become endpoints and builders. */
final class Options {
    private Options() {
    }

    /** {@code --source URI} and {@code --target URI}, with {@code --disable-ssl}. */
    static final class Servers {
        @Option(names = "--source", paramLabel = "URI", description = "The server to migrate from: "
                + "postgresql://user[:password]@host[:port]/dbname[?sslmode=...] or jdbc:postgresql://...; "
                + "omitted: PGHOST, PGPORT, PGUSER, PGDATABASE as psql reads them.")
        String source;

        @Option(names = "--target", paramLabel = "URI", description = "The server to migrate to (same forms).")
        String target;

        @Option(names = "--source-password-file", paramLabel = "FILE", description = "Read the source's "
                + "password from this file (safer than a password in the URI, which 'ps' shows; PGPASSWORD and "
                + "~/.pgpass work too).")
        String sourcePasswordFile;

        @Option(names = "--target-password-file", paramLabel = "FILE", description = "Read the target's "
                + "password from this file.")
        String targetPasswordFile;

        @Option(names = "--disable-ssl", description = "Connect to both servers without TLS.")
        boolean disableSsl;
    }

    /** {@code --database} and {@code --ignore-database}. */
    static final class Selection {
        @Option(names = "--database", paramLabel = "NAME", description = "Migrate exactly this database "
                + "(repeatable); default: every non-template database of the source.")
        List<String> databases = new ArrayList<>();

        @Option(names = "--ignore-database", paramLabel = "NAME", description = "Leave this database out "
                + "(repeatable).")
        List<String> ignored = new ArrayList<>();
    }

    /** What {@code preflight} and {@code migrate} share beyond servers and databases. */
    static final class Run {
        @Option(names = "--mode", paramLabel = "MODE", description = "continuous (copy, then stream changes "
                + "until a cutover) or dump (a point-in-time copy).")
        String mode;

        @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Parallel copy workers for the whole "
                + "run (all databases together); default: the number of cores, 2 to 8.")
        Integer jobs;

        @Option(names = "--id", paramLabel = "NAME", description = "The migration's id (lower-case letters, "
                + "digits, '_'); default: default.")
        String id;

        @Option(names = "--state-schema", paramLabel = "NAME", defaultValue = "pgrelocate",
                description = "Schema on the target that holds the migration's state; default: ${DEFAULT-VALUE}.")
        String stateSchema;

        @Option(names = "--allow-non-empty-target", description = "Copy into target databases that already "
                + "hold tables.")
        boolean allowNonEmptyTarget;

        @Option(names = "--set-replica-identity-full", description = "Let a continuous migration set REPLICA "
                + "IDENTITY FULL on source tables without a key.")
        boolean setReplicaIdentityFull;

        @Option(names = "--roles", paramLabel = "WHICH", description = "Source roles created on the target "
                + "before the schema: needed (owners, grantees and members of what moves), all, or none; "
                + "default: needed.")
        String roles;
    }

    /** {@code --target}, {@code --id}, {@code --state-schema}: the commands that read or steer the state. */
    static final class State {
        @Option(names = "--target", paramLabel = "URI", description = "The target server of the migration; "
                + "omitted: PGHOST, PGPORT, PGUSER, PGDATABASE as psql reads them.")
        String target;

        @Option(names = "--id", paramLabel = "NAME", description = "The migration; default: the only one "
                + "recorded.")
        String id;

        @Option(names = "--state-schema", paramLabel = "NAME", defaultValue = "pgrelocate",
                description = "Schema on the target that holds the state; default: ${DEFAULT-VALUE}.")
        String stateSchema;

        @Option(names = "--target-password-file", paramLabel = "FILE", description = "Read the target's "
                + "password from this file.")
        String targetPasswordFile;

        @Option(names = "--disable-ssl", description = "Connect without TLS.")
        boolean disableSsl;
    }

    /**
     * The endpoint for {@code uri}, or, when the option was not given, the one the environment describes
     * (psql's PGHOST, PGPORT, PGUSER, PGDATABASE); its password is hidden from every line printed.
     */
    static Endpoint endpoint(String uri, String option, boolean disableSsl, CliContext ctx) {
        return endpoint(uri, option, null, disableSsl, ctx);
    }

    /** As above, with the password read from {@code passwordFile} when it is not null. */
    static Endpoint endpoint(String uri, String option, String passwordFile, boolean disableSsl, CliContext ctx) {
        if (uri == null && !ctx.env().containsKey("PGHOST")) {
            throw new UsageException("option " + option + " is required (or set PGHOST, and PGPORT, PGUSER, "
                    + "PGDATABASE as for psql)");
        }
        Endpoint e = Endpoint.parse(uri == null ? "postgresql://" : uri, ctx.env());
        if (passwordFile != null) {
            e = e.withPasswordFile(java.nio.file.Path.of(passwordFile));
        }
        ctx.console().secret(e.driverProperties().getProperty("password"));
        return disableSsl ? e.withoutSsl() : e;
    }

    static Mode mode(String m, Mode fallback) {
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
    static MigrationBuilder builder(Servers servers, Selection selection, Run run, CliContext ctx, Mode fallback) {
        MigrationBuilder b = io.pgrelocate.core.Migration.builder()
                .source(endpoint(servers.source, "--source", servers.sourcePasswordFile, servers.disableSsl, ctx))
                .target(endpoint(servers.target, "--target", servers.targetPasswordFile, servers.disableSsl, ctx))
                .mode(mode(run.mode, fallback))
                .databases(selection.databases)
                .ignoreDatabases(selection.ignored)
                .setReplicaIdentityFull(run.setReplicaIdentityFull)
                .allowNonEmptyTarget(run.allowNonEmptyTarget)
                .stateSchema(run.stateSchema);
        if (run.id != null) {
            b.migrationId(run.id);
        }
        if (run.jobs != null) {
            b.jobs(run.jobs);
        }
        if (run.roles != null) {
            b.roles(roles(run.roles));
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
