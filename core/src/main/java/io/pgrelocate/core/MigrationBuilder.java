package io.pgrelocate.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a {@link Migration}. Not thread-safe; {@link #build()} checks everything and reports every
 * problem at once.
 *
 * <pre>{@code
 * Migration migration = Migration.builder()
 *         .source("postgresql://app@old-host/postgres?sslmode=require")
 *         .target("postgresql://admin@new-host/postgres")
 *         .mode(Mode.DUMP)
 *         .ignoreDatabases("scratch")
 *         .jobs(4)
 *         .build();
 * }</pre>
 */
public final class MigrationBuilder {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,29}");
    private static final Duration DEFAULT_MAX_DURATION = Duration.ofDays(14);

    private String migrationId = "default";
    private Endpoint source;
    private Endpoint target;
    private Mode mode;
    private final List<String> included = new ArrayList<>();
    private final Set<String> ignored = new LinkedHashSet<>();
    private int jobs = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    private Duration maxDuration = DEFAULT_MAX_DURATION;
    private CutoverMode cutoverMode = CutoverMode.MANUAL;
    private boolean fenceSourceOnCutover = true;
    private boolean disableSsl;
    private String stateSchema = "pgrelocate";
    private boolean keepState;
    private boolean acceptWarnings;
    private boolean allowNonEmptyTarget;
    private boolean setReplicaIdentityFull;
    private final List<MigrationListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration statusInterval = Duration.ofSeconds(1);
    private java.util.concurrent.ThreadFactory threadFactory;

    MigrationBuilder() {
    }

    public MigrationBuilder source(Endpoint endpoint) {
        this.source = endpoint;
        return this;
    }

    /** The source as a libpq URI or pgjdbc URL; see {@link Endpoint#parse(String)}. */
    public MigrationBuilder source(String uri) {
        return source(Endpoint.parse(uri));
    }

    public MigrationBuilder target(Endpoint endpoint) {
        this.target = endpoint;
        return this;
    }

    public MigrationBuilder target(String uri) {
        return target(Endpoint.parse(uri));
    }

    public MigrationBuilder mode(Mode value) {
        this.mode = value;
        return this;
    }

    /** Migrate exactly these databases (by default: every non-template database of the source). */
    public MigrationBuilder databases(String... names) {
        included.addAll(Arrays.asList(names));
        return this;
    }

    public MigrationBuilder databases(List<String> names) {
        included.addAll(names);
        return this;
    }

    /** Leave these source databases out (a provider's {@code ignore_dbs}). */
    public MigrationBuilder ignoreDatabases(String... names) {
        ignored.addAll(Arrays.asList(names));
        return this;
    }

    public MigrationBuilder ignoreDatabases(List<String> names) {
        ignored.addAll(names);
        return this;
    }

    /** Parallel copy workers; default: the number of cores, between 2 and 8. */
    public MigrationBuilder jobs(int value) {
        this.jobs = value;
        return this;
    }

    /** After this long a migration stops by itself, keeping what was copied. Default: 14 days. */
    public MigrationBuilder maxDuration(Duration value) {
        this.maxDuration = value;
        return this;
    }

    public MigrationBuilder cutoverMode(CutoverMode value) {
        this.cutoverMode = value;
        return this;
    }

    /** Whether cutover makes the source databases read-only for new transactions first. Default: true. */
    public MigrationBuilder fenceSourceOnCutover(boolean value) {
        this.fenceSourceOnCutover = value;
        return this;
    }

    /** Connect to both servers without TLS (a provider API's {@code disable_ssl}). */
    public MigrationBuilder disableSsl(boolean value) {
        this.disableSsl = value;
        return this;
    }

    /** Names the migration's slots, publications and state rows; lower-case letters, digits, '_'. */
    public MigrationBuilder migrationId(String value) {
        this.migrationId = value;
        return this;
    }

    public MigrationBuilder stateSchema(String value) {
        this.stateSchema = value;
        return this;
    }

    public MigrationBuilder keepState(boolean value) {
        this.keepState = value;
        return this;
    }

    public MigrationBuilder acceptWarnings(boolean value) {
        this.acceptWarnings = value;
        return this;
    }

    public MigrationBuilder allowNonEmptyTarget(boolean value) {
        this.allowNonEmptyTarget = value;
        return this;
    }

    public MigrationBuilder setReplicaIdentityFull(boolean value) {
        this.setReplicaIdentityFull = value;
        return this;
    }

    public MigrationBuilder listener(MigrationListener value) {
        listeners.add(value);
        return this;
    }

    public MigrationBuilder clock(Clock value) {
        this.clock = value;
        return this;
    }

    public MigrationBuilder statusInterval(Duration value) {
        this.statusInterval = value;
        return this;
    }

    /**
     * Makes every thread of the run with {@code value} (an application's own naming, priority, or context
     * propagation). The run takes a thread per database, one per copy or index job, and two of its own, each
     * held until its work ends (hours, for a stream), so a factory, not a bounded pool. Its threads should not
     * be daemon threads: a JVM whose last non-daemon thread ends would stop the run through the shutdown hook
     * (see {@link Migration}).
     */
    public MigrationBuilder threadFactory(java.util.concurrent.ThreadFactory value) {
        this.threadFactory = value;
        return this;
    }

    /**
     * Validates and builds.
     *
     * @throws PgRelocateException {@link ErrorCode#INVALID_CONFIG}, naming every problem found
     */
    public Migration build() {
        List<String> problems = new ArrayList<>();
        if (source == null) {
            problems.add("source is not set: call source(\"postgresql://user@host/db\")");
        }
        if (target == null) {
            problems.add("target is not set: call target(\"postgresql://user@host/db\")");
        }
        if (mode == null) {
            problems.add("mode is not set: call mode(Mode.CONTINUOUS) or mode(Mode.DUMP)");
        }
        if (jobs < 1 || jobs > 64) {
            problems.add("jobs is " + jobs + ": use 1 to 64");
        }
        if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
            problems.add("maxDuration must be positive, such as Duration.ofDays(14)");
        }
        if (statusInterval == null || statusInterval.isNegative() || statusInterval.isZero()) {
            problems.add("statusInterval must be positive");
        }
        if (migrationId == null || !ID.matcher(migrationId).matches()) {
            problems.add("migrationId '" + migrationId + "' is not valid: use 1-30 lower-case letters, digits "
                    + "or '_', starting with a letter");
        }
        if (stateSchema == null || stateSchema.isBlank() || stateSchema.length() > 63) {
            problems.add("stateSchema must be a name of 1 to 63 characters");
        }
        for (String name : included) {
            if (ignored.contains(name)) {
                problems.add("database '" + name + "' is both selected and ignored");
            }
        }
        if (source != null && target != null && sameServer(source, target)) {
            problems.add("source and target are the same server (" + source.host() + ":" + source.port()
                    + "): migrate between two different servers");
        }
        if (clock == null) {
            problems.add("clock must not be null");
        }
        if (!problems.isEmpty()) {
            throw new PgRelocateException(ErrorCode.INVALID_CONFIG,
                    "invalid migration configuration: " + String.join("; ", problems));
        }
        Endpoint src = disableSsl ? source.withoutSsl() : source;
        Endpoint tgt = disableSsl ? target.withoutSsl() : target;
        MigrationConfig config = new MigrationConfig(migrationId, src, tgt, mode,
                new DatabaseSelection(List.copyOf(new LinkedHashSet<>(included)), ignored), jobs, maxDuration,
                cutoverMode, fenceSourceOnCutover, stateSchema, keepState, acceptWarnings, allowNonEmptyTarget,
                setReplicaIdentityFull, listeners, clock, statusInterval, threadFactory);
        return new Migration(config);
    }

    private static boolean sameServer(Endpoint a, Endpoint b) {
        return a.port() == b.port() && normalise(a.host()).equals(normalise(b.host()));
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.startsWith("127.") ? "loopback" : h;
    }
}
