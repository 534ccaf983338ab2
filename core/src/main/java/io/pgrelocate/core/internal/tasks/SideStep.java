package io.pgrelocate.core.internal.tasks;

import java.sql.SQLException;
import java.util.concurrent.ThreadFactory;

/**
 * One step run on a thread of its own while the caller goes on, joined where its result is first needed: round
 * trips to one server that need not wait for those to another (the target inspected while the source is; the
 * target's side of a copy, its database created or checked and its roles and extensions listed, while the source's
 * schema is locked and read). {@link #close()} waits a bounded time for a
 * step still running (a failure elsewhere), so nothing of it outlives its caller.
 *
 * <p>Not thread-safe: one caller joins it.
 */
public final class SideStep<T> implements AutoCloseable {
    /** The work; any Throwable it throws is what {@link #join()} throws. */
    public interface Step<T> {
        T get() throws Exception;
    }

    private final TaskGroup group;
    private volatile T result;

    public SideStep(ThreadFactory threads, Step<T> step) {
        this.group = new TaskGroup(threads, 1);
        group.submit(() -> result = step.get());
    }

    /**
     * Waits for the step and returns its result; rethrows its failure as it is (an SQLException stays one, so the
     * caller reports it as it would have reported it running the step itself).
     */
    public T join() throws SQLException {
        try {
            group.await();
        } catch (RuntimeException e) {
            if (group.failure() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
        return result;
    }

    @Override
    public void close() {
        group.close();
    }
}
