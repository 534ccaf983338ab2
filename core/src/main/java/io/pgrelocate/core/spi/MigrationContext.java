package io.pgrelocate.core.spi;

import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.MigrationEvent;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link MigrationEngine} gets from the core for one run. Thread-safe: engines call it from
 * their worker threads.
 */
public interface MigrationContext {
    MigrationConfig config();

    String migrationId();

    /** The source databases to migrate, in the order to start them. */
    List<DatabaseInfo> databases();

    ServerInfo sourceServer();

    ServerInfo targetServer();

    PgConnector source();

    PgConnector target();

    /** Delivers an event to the listeners (on the calling thread). */
    void emit(MigrationEvent event);

    /** Progress and phase of one database; writes reach the state tables within the status interval. */
    DatabaseTracker tracker(String database);

    /** Whether this run resumes one that was interrupted (its state was found on the target). */
    boolean resumed();

    /**
     * Stop requested through the API, another process or the maximum duration; also true once the run must halt
     * ({@link #haltRequested()}), so that a loop that only knows of stops ends too.
     */
    boolean stopRequested();

    /**
     * The run must end FAILED at once, keeping everything a resume needs (slots, state): for example another
     * process now holds this migration's lock. An engine that undoes work on a stop (drops slots) must check
     * this first and halt instead. Thread-safe.
     */
    default boolean haltRequested() {
        return false;
    }

    /** Why the stop was requested, or null. */
    String stopReason();

    /** Cutover requested through the API or another process (or automatic cutover is on). */
    boolean cutoverRequested();

    /**
     * Whether the cutover compares every table's rows too ({@code cutoverVerify(true)}, or a cutover
     * requested with {@code --verify}); the schema is compared at every cutover.
     */
    default boolean cutoverVerifiesData() {
        return config().cutoverVerify();
    }

    /**
     * Waits at most {@code max} for a stop or cutover request; returns at once if one is pending.
     * For engines' idle loops, instead of sleeping.
     */
    void awaitSignal(Duration max) throws InterruptedException;

    Clock clock();

    /**
     * The run's copy budget: {@code config().jobs()} permits shared by every database the run copies at
     * once. A copy worker holds one while it holds its source and target connections, so the source never
     * serves more than {@code jobs} copy connections whatever the number of databases.
     */
    java.util.concurrent.Semaphore copyPermits();

    /**
     * The factory every thread of the run must come from: the caller's ({@code MigrationBuilder.threadFactory}),
     * else non-daemon threads named {@code pgrelocate-<id>-<name>-N}; either way with the migration id in the MDC.
     */
    java.util.concurrent.ThreadFactory threads(String name);
}
