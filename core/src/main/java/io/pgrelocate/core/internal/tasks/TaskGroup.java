package io.pgrelocate.core.internal.tasks;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * A small bounded executor for the engines' workers: tasks run on threads from the given (naming) factory, at
 * most {@code limit} at once. The first failure of any kind (an exception, an {@link Error}) is kept, and the
 * group is cancelled: queued tasks are dropped, running ones interrupted and every cancel action run (such as
 * a JDBC {@code cancel()}, since a thread blocked on a socket does not see an interrupt). What cancelled tasks
 * throw afterwards is a consequence, not a second failure. {@link #await()} rethrows the first failure.
 *
 * <pre>{@code
 * try (TaskGroup group = new TaskGroup(context.threads("copy"), jobs)) {
 *     for (Table t : tables) {
 *         group.submit(() -> copy(t));
 *     }
 *     group.await();
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class TaskGroup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskGroup.class);
    /** How long {@link #close()} waits for cancelled tasks to return. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** One unit of work; any Throwable it throws fails the group. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final ThreadFactory threads;
    private final int limit;
    private final Deque<Task> queue = new ArrayDeque<>();
    private final Set<Thread> running = new HashSet<>();
    private final List<Runnable> cancelActions = new ArrayList<>();
    private int workers;
    private boolean cancelled;
    private Throwable failure;

    /** @param limit how many tasks may run at once, at least 1 */
    public TaskGroup(ThreadFactory threads, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        this.threads = threads;
        this.limit = limit;
    }

    /** Queues {@code task}; it starts when fewer than {@code limit} run. Ignored once the group is cancelled. */
    public void submit(Task task) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            queue.add(task);
            if (workers >= limit) {
                return;
            }
            workers++;
        }
        try {
            threads.newThread(this::work).start();
        } catch (Throwable e) {
            synchronized (this) {
                workers--;
                notifyAll();
            }
            fail(e);
        }
    }

    /**
     * Runs {@code action} when the group is cancelled (at once if it already is): the way to stop a task blocked
     * where an interrupt does not reach. Actions run on the cancelling thread and must not block long.
     */
    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                cancelActions.add(action);
            }
        }
        if (now) {
            runQuietly(action);
        }
    }

    /** Whether a failure or {@link #cancel()} cancelled the group: tasks should return soon. */
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** The first failure, or null. */
    public synchronized Throwable failure() {
        return failure;
    }

    /** Whether every task submitted so far has returned (or was dropped). */
    public synchronized boolean isDone() {
        return workers == 0;
    }

    /** Drops queued tasks, interrupts running ones and runs the cancel actions, once. Not a failure. */
    public void cancel() {
        List<Thread> toInterrupt;
        List<Runnable> actions;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            queue.clear();
            toInterrupt = new ArrayList<>(running);
            actions = new ArrayList<>(cancelActions);
            cancelActions.clear();
        }
        for (Thread t : toInterrupt) {
            if (t != Thread.currentThread()) {
                t.interrupt();
            }
        }
        actions.forEach(TaskGroup::runQuietly);
    }

    /**
     * Waits until every task has returned, then rethrows the first failure: an unchecked one as it is, a
     * checked one wrapped. An interrupt of the waiting thread cancels the group.
     */
    public void await() {
        try {
            synchronized (this) {
                while (workers > 0) {
                    wait();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new PgRelocateException(ErrorCode.INTERNAL, "interrupted while waiting for the workers");
        }
        rethrowFailure();
    }

    /**
     * As {@link #await()}, cancelling the group as soon as {@code cancelWhen} holds (checked every 100 ms): for a
     * stop request, which a task blocked in a long statement would otherwise only see when it ends.
     */
    public void await(java.util.function.BooleanSupplier cancelWhen) {
        try {
            while (!awaitDone(Duration.ofMillis(100))) {
                if (cancelWhen.getAsBoolean()) {
                    cancel();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new PgRelocateException(ErrorCode.INTERNAL, "interrupted while waiting for the workers");
        }
        rethrowFailure();
    }

    /** Waits up to {@code max} for every task to return; true if they all did. Does not throw their failure. */
    public boolean awaitDone(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        synchronized (this) {
            while (workers > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Throws the first failure, if any: unchecked as it is, checked wrapped. */
    public void rethrowFailure() {
        Throwable f = failure();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new PgRelocateException(ErrorCode.INTERNAL, "a worker failed: " + f, f);
        }
    }

    /** Cancels what still runs and waits a bounded time for it to return. */
    @Override
    public void close() {
        if (isDone()) {
            return;
        }
        cancel();
        try {
            if (!awaitDone(CLOSE_WAIT)) {
                log.warn("{} worker(s) still running {} s after they were cancelled", runningCount(),
                        CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized int runningCount() {
        return running.size();
    }

    private void work() {
        synchronized (this) {
            running.add(Thread.currentThread());
        }
        try {
            Task task;
            while ((task = next()) != null) {
                try {
                    task.run();
                } catch (Throwable e) {
                    fail(e);
                }
            }
        } finally {
            synchronized (this) {
                running.remove(Thread.currentThread());
                workers--;
                notifyAll();
            }
        }
    }

    private synchronized Task next() {
        return cancelled ? null : queue.poll();
    }

    private void fail(Throwable e) {
        synchronized (this) {
            if (cancelled && !(e instanceof Error && failure == null)) {
                // a consequence of the cancel (a cancelled statement, an interrupted wait), not a second failure;
                // an Error is never one, so after a plain cancel it still fails the group
                log.debug("task of a cancelled group ended with {}", e.toString());
                return;
            }
            if (failure == null) {
                failure = e;
            }
        }
        cancel();
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            log.debug("cancel action failed: {}", e.toString());
        }
    }
}
