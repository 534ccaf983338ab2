package io.pgrelocate.core.internal;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running migration: its lifecycle (changed only by compare-and-set), the engine's thread and the
 * control loop. Created by {@link RunStarter}; thread-safe.
 */
public final class MigrationRunner implements MigrationHandle {
    private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

    private final MigrationConfig config;
    private final RunContext context;
    private final MigrationEngine engine;
    private final Instant startedAt;
    private final Instant deadline;
    private final String sourceDisplay;
    private final List<MigrationEvent.DatabaseTotals> totals;
    private final Lifecycle state;
    private final CompletableFuture<MigrationState> completion = new CompletableFuture<>();
    /** How long a JVM shutdown waits for the run to stop before recording it FAILED. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);

    private ControlLoop control;
    private Thread controlThread;
    private final Thread shutdownHook;

    MigrationRunner(MigrationConfig config, RunContext context, MigrationEngine engine, Instant startedAt,
                    Instant deadline, List<MigrationEvent.DatabaseTotals> totals) {
        this.config = config;
        this.totals = List.copyOf(totals);
        this.context = context;
        this.engine = engine;
        this.startedAt = startedAt;
        this.deadline = deadline;
        this.sourceDisplay = config.source().display();
        this.state = new Lifecycle(config.migrationId());
        this.shutdownHook = new Thread(this::onJvmShutdown, "pgrelocate-" + config.migrationId() + "-shutdown");
    }

    /** Checks, prepares and launches; see {@link RunStarter}. */
    public static MigrationRunner start(MigrationConfig config) {
        return RunStarter.start(config);
    }

    void launch(Connection stateConnection) {
        control = new ControlLoop(config, context.target(), stateConnection, context, deadline, state::get);
        controlThread = context.threads("control").newThread(control);
        state.move(MigrationState.CREATED, MigrationState.RUNNING);
        controlThread.start();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        context.threads("main").newThread(this::runEngine).start();
    }

    /**
     * SIGTERM, or the program's end: the run stops as on {@link #requestStop()}, and is recorded FAILED if it
     * has not stopped within {@link #SHUTDOWN_WAIT}, since the JVM ends it then whatever it is doing.
     */
    private void onJvmShutdown() {
        if (state.get().isTerminal()) {
            return;
        }
        log.warn("the JVM is shutting down: stopping migration {}", config.migrationId());
        requestStop("the JVM is shutting down");
        try {
            completion.get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            finish(MigrationState.FAILED, new PgRelocateException(ErrorCode.STOPPED, "the JVM shut down before "
                    + "migration " + config.migrationId() + " could stop within " + SHUTDOWN_WAIT.toSeconds()
                    + " s; start the same migration again to resume"));
        } catch (ExecutionException e) {
            // it ended FAILED, recorded as such
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or has run
        }
    }

    void wakeControl() {
        if (control != null) {
            control.wake();
        }
    }

    private void runEngine() {
        PgRelocateException failure = null;
        try {
            context.emit(new MigrationEvent.MigrationStarted(config.migrationId(), config.mode(),
                    context.databases().stream().map(d -> d.name()).toList(), totals, config.clock().instant()));
            engine.run(context);
        } catch (PgRelocateException e) {
            failure = e;
        } catch (OutOfMemoryError e) {
            failure = new PgRelocateException(ErrorCode.INTERNAL, "the JVM ran out of memory (" + e.getMessage()
                    + "); give it more heap (-Xmx) and start the same migration again to resume", e);
        } catch (Throwable e) {
            failure = new PgRelocateException(ErrorCode.INTERNAL, "unexpected failure: " + e, e);
        }
        try {
            end(failure);
        } catch (Throwable e) {
            // whatever happens while recording the end, the run must not be left RUNNING
            finish(MigrationState.FAILED, failure != null ? failure
                    : new PgRelocateException(ErrorCode.INTERNAL, "unexpected failure: " + e, e));
        }
    }

    private void end(PgRelocateException engineFailure) {
        PgRelocateException failure = context.haltCause() != null ? context.haltCause() : engineFailure;
        if (failure == null) {
            failure = firstDatabaseFailure();
        }
        MigrationState end;
        if (failure != null) {
            end = MigrationState.FAILED;
        } else if (context.stopRequested()) {
            end = MigrationState.STOPPED;
            for (Tracker t : context.trackers()) {
                t.stopIfRunning();
            }
        } else {
            end = MigrationState.COMPLETED;
        }
        finish(end, failure);
    }

    private PgRelocateException firstDatabaseFailure() {
        for (Tracker t : context.trackers()) {
            DatabaseStatus s = t.snapshot();
            if (s.phase() == Phase.FAILED) {
                return new PgRelocateException(ErrorCode.INTERNAL, "database " + s.database() + " failed: " + s.error());
            }
        }
        return null;
    }

    /** Ends the run once: the first caller's end wins (compare-and-set), later ones change nothing. */
    private void finish(MigrationState end, PgRelocateException failure) {
        if (!state.end(end)) {
            return;
        }
        try {
            removeShutdownHook();
            recordEnd(end, failure);
            Instant now = config.clock().instant();
            switch (end) {
                case COMPLETED -> context.emit(new MigrationEvent.MigrationCompleted(config.migrationId(),
                        Duration.between(startedAt, now), now));
                case STOPPED -> context.emit(new MigrationEvent.MigrationStopped(config.migrationId(),
                        context.stopReason(), now));
                default -> context.emit(new MigrationEvent.MigrationFailed(config.migrationId(), failure, now));
            }
        } catch (Throwable e) {
            log.warn("migration {}: failure while ending it {}: {}", config.migrationId(), end, e.toString());
        } finally {
            // whoever waits learns the end, whatever went wrong above
            if (failure != null) {
                completion.completeExceptionally(failure);
            } else {
                completion.complete(end);
            }
        }
    }

    private void recordEnd(MigrationState end, PgRelocateException failure) {
        try {
            Connection c = control.shutdown(controlThread);
            if (c != null) {
                RunStarter.finishState(config, c, end, failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("cannot record the end of migration {} on the target: {}", config.migrationId(), e.getMessage());
        }
    }

    @Override
    public String migrationId() {
        return config.migrationId();
    }

    @Override
    public MigrationState state() {
        return state.get();
    }

    @Override
    public MigrationStatus status() {
        List<DatabaseStatus> dbs = new ArrayList<>();
        for (Tracker t : context.trackers()) {
            dbs.add(t.snapshot());
        }
        String action = context.stopRequested() ? "stop" : context.cutoverRequested() ? "cutover" : null;
        return new MigrationStatus(config.migrationId(), config.mode(), state.get(), sourceDisplay, startedAt, deadline,
                action, null, dbs);
    }

    @Override
    public MigrationState await(Duration timeout) {
        try {
            return completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PgRelocateException p) {
                throw p;
            }
            throw new PgRelocateException(ErrorCode.INTERNAL, "migration failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PgRelocateException(ErrorCode.TIMEOUT, "migration " + config.migrationId()
                    + " did not end within " + timeout + " (state " + state.get() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgRelocateException(ErrorCode.TIMEOUT, "interrupted while waiting for the migration");
        }
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            MigrationStatus s = status();
            if (s.isCaughtUp()) {
                return true;
            }
            if (completion.isDone()) {
                await(Duration.ZERO);
                return s.isCaughtUp();
            }
            try {
                completion.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException ignored) {
                // poll again; a failure is reported by await above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return status().isCaughtUp();
    }

    @Override
    public void requestCutover() {
        log.info("cutover requested for migration {}", config.migrationId());
        context.requestCutover();
        state.move(MigrationState.RUNNING, MigrationState.CUTTING_OVER);
        wakeControl();
    }

    @Override
    public void cutover(Duration timeout) {
        requestCutover();
        MigrationState end = await(timeout);
        if (end != MigrationState.COMPLETED) {
            throw new PgRelocateException(ErrorCode.STOPPED, "migration " + config.migrationId()
                    + " ended " + end + " instead of cutting over");
        }
    }

    @Override
    public void requestStop() {
        requestStop("stop requested");
    }

    private void requestStop(String reason) {
        log.info("stop requested for migration {}: {}", config.migrationId(), reason);
        context.requestStop(reason);
        state.moveUnlessEnded(MigrationState.STOPPING);
        wakeControl();
    }

    @Override
    public MigrationState stop(Duration timeout) {
        requestStop();
        return await(timeout);
    }

    @Override
    public CompletionStage<MigrationState> completion() {
        return completion.minimalCompletionStage();
    }
}
