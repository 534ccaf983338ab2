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
    /** The deadline is stored as a timestamp on the target: keep it far inside every date range. */
    private static final Duration LONGEST_MAX_DURATION = Duration.ofDays(3650);

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
    private boolean cutoverVerify;
    private boolean captureDdl = true;
    private boolean disableSsl;
    private String stateSchema = "pgrelocate";
    private boolean keepState;
    private boolean acceptWarnings;
    private boolean allowNonEmptyTarget;
    private boolean setReplicaIdentityFull;
    private final List<MigrationListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration statusInterval = Duration.ofSeconds(1);
    private FenceMode fence = FenceMode.READ_ONLY;
    private Duration cutoverTimeout = ReplicationOptions.DEFAULTS.cutoverTimeout();
    private Duration stallTimeout;
    private boolean recopyInvalidated;
    private RoleSelection roles = RoleSelection.NEEDED;
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

    /**
     * Parallel copy workers for the whole migration (not per database): a continuous migration copying
     * several databases at once shares them, so the source never serves more than {@code jobs} copy
     * connections; default: the number of cores, between 2 and 8.
     */
    public MigrationBuilder jobs(int value) {
        this.jobs = value;
        return this;
    }

    /** After this long a migration stops by itself, keeping what was copied. Default: 14 days; at most 3650. */
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
        if (value && fence == FenceMode.NONE) {
            fence = FenceMode.READ_ONLY;
        }
        return this;
    }

    /**
     * How cutover fences the source; default {@link FenceMode#READ_ONLY}. {@link FenceMode#STRONG} also revokes
     * CONNECT from the application's roles until the fence is lifted.
     */
    public MigrationBuilder fence(FenceMode value) {
        this.fence = value;
        this.fenceSourceOnCutover = value != FenceMode.NONE;
        return this;
    }

    /** How long a cutover may take to drain before it fails and lifts its fence. Default: 10 minutes. */
    public MigrationBuilder cutoverTimeout(Duration value) {
        this.cutoverTimeout = value;
        return this;
    }

    /**
     * How long a replication stream may stay silent (no change, no keepalive) before it is reconnected. Default:
     * twice the source's {@code wal_sender_timeout}, between 10 seconds and 5 minutes.
     */
    public MigrationBuilder stallTimeout(Duration value) {
        this.stallTimeout = value;
        return this;
    }

    /**
     * Whether a database whose slot the source invalidated ({@code max_slot_wal_keep_size} exceeded) is copied
     * again from scratch with a new slot, rather than failing the run. Default: false.
     */
    public MigrationBuilder recopyInvalidatedSlots(boolean value) {
        this.recopyInvalidated = value;
        return this;
    }

    /**
     * Whether a cutover also compares every table's rows by checksum before it reports success (the schema of
     * every database is always compared). Default: false. A difference fails the cutover and lifts the fence.
     */
    public MigrationBuilder cutoverVerify(boolean value) {
        this.cutoverVerify = value;
        return this;
    }

    /**
     * Whether a continuous migration captures schema changes on the source (event triggers, which need a
     * superuser there) and replays them on the target in commit order. Default: true. Off, or without the
     * right, a schema change stops the database with an error instead.
     */
    public MigrationBuilder captureDdl(boolean value) {
        this.captureDdl = value;
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

    /** Which source roles to create on the target before the schema; default {@link RoleSelection#NEEDED}. */
    public MigrationBuilder roles(RoleSelection value) {
        this.roles = value;
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
        } else if (maxDuration.compareTo(LONGEST_MAX_DURATION) > 0) {
            problems.add("maxDuration is " + maxDuration.toDays() + " days: use at most 3650 days (10 years)");
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
        if (roles == null) {
            problems.add("roles must not be null: use RoleSelection.NEEDED, ALL or NONE");
        }
        if (clock == null) {
            problems.add("clock must not be null");
        }
        if (fence == null) {
            problems.add("fence must not be null: use FenceMode.NONE to turn it off");
        }
        if (cutoverTimeout == null || cutoverTimeout.isNegative() || cutoverTimeout.isZero()) {
            problems.add("cutoverTimeout must be positive, such as Duration.ofMinutes(10)");
        }
        if (stallTimeout != null && stallTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("stallTimeout must be at least 1 second");
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
                setReplicaIdentityFull, listeners, clock, statusInterval,
                new ReplicationOptions(fenceSourceOnCutover ? fence : FenceMode.NONE, cutoverTimeout, stallTimeout,
                        recopyInvalidated), cutoverVerify, captureDdl, roles, threadFactory);
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
