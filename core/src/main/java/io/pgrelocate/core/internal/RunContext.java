package io.pgrelocate.core.internal;

import io.pgrelocate.core.CutoverMode;
import io.pgrelocate.core.MigrationConfig;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.Phase;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.DatabaseTracker;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.core.spi.ServerInfo;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The core's side of a run, handed to the engine: endpoints, trackers, events and steering signals. */
final class RunContext implements MigrationContext {
    private final MigrationConfig config;
    private final List<DatabaseInfo> databases;
    private final ServerInfo sourceServer;
    private final ServerInfo targetServer;
    private final PgConnector source;
    private final PgConnector target;
    private final ListenerDispatcher dispatcher;
    private final boolean resumed;
    private final Map<String, Tracker> trackers = new LinkedHashMap<>();
    private final Object signal = new Object();
    private final java.util.concurrent.Semaphore copyPermits;
    private volatile String stopReason;
    private volatile PgRelocateException haltCause;
    private volatile boolean cutoverRequested;
    private volatile boolean cutoverVerifyRequested;

    RunContext(MigrationConfig config, List<DatabaseInfo> databases, ServerInfo sourceServer, ServerInfo targetServer,
               PgConnector source, PgConnector target, boolean resumed, Map<String, Phase> previousPhases,
               Runnable flushNow) {
        this.config = config;
        this.databases = List.copyOf(databases);
        this.sourceServer = sourceServer;
        this.targetServer = targetServer;
        this.source = source;
        this.target = target;
        this.dispatcher = new ListenerDispatcher(config.listeners());
        this.resumed = resumed;
        this.copyPermits = new java.util.concurrent.Semaphore(config.jobs(), true);
        for (DatabaseInfo db : databases) {
            trackers.put(db.name(), new Tracker(db.name(), previousPhases.get(db.name()), config.clock(),
                    this::emit, flushNow));
        }
    }

    @Override
    public java.util.concurrent.Semaphore copyPermits() {
        return copyPermits;
    }

    @Override
    public MigrationConfig config() {
        return config;
    }

    @Override
    public String migrationId() {
        return config.migrationId();
    }

    @Override
    public List<DatabaseInfo> databases() {
        return databases;
    }

    @Override
    public ServerInfo sourceServer() {
        return sourceServer;
    }

    @Override
    public ServerInfo targetServer() {
        return targetServer;
    }

    @Override
    public PgConnector source() {
        return source;
    }

    @Override
    public PgConnector target() {
        return target;
    }

    @Override
    public void emit(MigrationEvent event) {
        dispatcher.emit(event);
    }

    @Override
    public DatabaseTracker tracker(String database) {
        Tracker t = trackers.get(database);
        if (t == null) {
            throw new IllegalArgumentException("database '" + database + "' is not part of this migration");
        }
        return t;
    }

    Iterable<Tracker> trackers() {
        return trackers.values();
    }

    @Override
    public boolean resumed() {
        return resumed;
    }

    @Override
    public boolean stopRequested() {
        return stopReason != null || haltCause != null;
    }

    @Override
    public boolean haltRequested() {
        return haltCause != null;
    }

    /** Why the run must end FAILED whatever the engine does, or null. */
    PgRelocateException haltCause() {
        return haltCause;
    }

    /** Makes the engine halt (see {@link #haltRequested()}); the run then ends FAILED with {@code cause}. */
    void halt(PgRelocateException cause) {
        synchronized (signal) {
            if (haltCause == null) {
                haltCause = cause;
            }
            signal.notifyAll();
        }
    }

    @Override
    public String stopReason() {
        return stopReason;
    }

    @Override
    public boolean cutoverRequested() {
        return cutoverRequested || config.cutoverMode() == CutoverMode.AUTO;
    }

    @Override
    public boolean cutoverVerifiesData() {
        return cutoverVerifyRequested || config.cutoverVerify();
    }

    /** A cutover that also compares every table's rows before it reports success. */
    void requestVerifiedCutover() {
        cutoverVerifyRequested = true;
        requestCutover();
    }

    void requestStop(String reason) {
        synchronized (signal) {
            if (stopReason == null) {
                stopReason = reason;
            }
            signal.notifyAll();
        }
    }

    void requestCutover() {
        synchronized (signal) {
            cutoverRequested = true;
            signal.notifyAll();
        }
    }

    @Override
    public void awaitSignal(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (signal) {
            while (!stopRequested() && !cutoverRequested()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                signal.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public Clock clock() {
        return config.clock();
    }

    @Override
    public ThreadFactory threads(String name) {
        return threads(config, name);
    }

    /** The run's thread factory (see {@link #threads(String)}), also for the steps before the run has a context. */
    static ThreadFactory threads(MigrationConfig config, String name) {
        AtomicInteger n = new AtomicInteger();
        String id = config.migrationId();
        ThreadFactory own = config.threadFactory();
        return r -> {
            Runnable withMdc = () -> {
                MDC.put("migration", id);
                r.run();
            };
            if (own != null) {
                return own.newThread(withMdc);
            }
            // not daemon: a JVM whose main() returns keeps running the migration to its end, rather than
            // dying mid-copy; System.exit, SIGTERM and Ctrl-C stop it through the runner's shutdown hook
            return new Thread(withMdc, "pgrelocate-" + id + "-" + name + "-" + n.incrementAndGet());
        };
    }
}
