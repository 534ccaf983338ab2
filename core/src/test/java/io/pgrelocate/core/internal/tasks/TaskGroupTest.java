package io.pgrelocate.core.internal.tasks;

import io.pgrelocate.core.PgRelocateException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskGroupTest {
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ThreadFactory threads = r -> {
        Thread t = new Thread(r, "test-worker-" + threadNumber.incrementAndGet());
        t.setDaemon(true);
        return t;
    };

    // guards the first failure propagating: a worker's exception must fail the whole group, never be lost
    @Test
    void theFirstFailurePropagatesAndTheRestAreCancelled() throws Exception {
        CountDownLatch blockedStarted = new CountDownLatch(1);
        AtomicInteger ranAfterFailure = new AtomicInteger();
        List<String> interrupted = new CopyOnWriteArrayList<>();
        try (TaskGroup group = new TaskGroup(threads, 2)) {
            group.submit(() -> {
                blockedStarted.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.add("blocked");
                    throw e;
                }
            });
            group.submit(() -> {
                blockedStarted.await();
                throw new IllegalStateException("first");
            });
            for (int i = 0; i < 10; i++) {
                group.submit(ranAfterFailure::incrementAndGet);
            }
            assertThatThrownBy(group::await).isInstanceOf(IllegalStateException.class).hasMessage("first");
            assertThat(group.isCancelled()).isTrue();
        }
        assertThat(interrupted).as("the running task was interrupted").containsExactly("blocked");
        assertThat(ranAfterFailure.get()).as("queued tasks dropped").isZero();
    }

    // guards Errors: an OutOfMemoryError on a worker must reach the caller, not die with its thread
    @Test
    void anErrorPropagatesAsItIs() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        TaskGroup group = new TaskGroup(threads, 3);
        group.submit(() -> {
            throw oom;
        });
        assertThatThrownBy(group::await).isSameAs(oom);
    }

    @Test
    void aCheckedFailureIsWrappedWithItsCause() {
        SQLException cause = new SQLException("boom", "XX000");
        TaskGroup group = new TaskGroup(threads, 1);
        group.submit(() -> {
            throw cause;
        });
        assertThatThrownBy(group::await).isInstanceOf(PgRelocateException.class).hasCause(cause);
    }

    @Test
    void cancelActionsRunOnTheFirstFailureOnly() throws Exception {
        AtomicInteger cancels = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        TaskGroup group = new TaskGroup(threads, 2);
        group.onCancel(() -> {
            cancels.incrementAndGet();
            release.countDown();
        });
        // blocked where an interrupt does not reach (as on a socket): only the cancel action releases it
        group.submit(() -> {
            while (!release.await(10, TimeUnit.MILLISECONDS)) {
                Thread.interrupted();
            }
            throw new IllegalStateException("cancelled statement");
        });
        group.submit(() -> {
            throw new IllegalArgumentException("first");
        });
        assertThatThrownBy(group::await).isInstanceOf(IllegalArgumentException.class);
        assertThat(cancels.get()).isEqualTo(1);
    }

    @Test
    void runsAtMostLimitTasksAtOnceOnNamedThreads() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<String> names = new CopyOnWriteArrayList<>();
        TaskGroup group = new TaskGroup(threads, 3);
        for (int i = 0; i < 30; i++) {
            group.submit(() -> {
                peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                names.add(Thread.currentThread().getName());
                Thread.sleep(5);
                now.decrementAndGet();
            });
        }
        group.await();
        assertThat(names).hasSize(30).allMatch(n -> n.startsWith("test-worker-"));
        assertThat(peak.get()).isBetween(1, 3);
        assertThat(group.failure()).isNull();
        assertThat(group.awaitDone(Duration.ZERO)).isTrue();
    }

    @Test
    void aPlainCancelIsNotAFailure() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        TaskGroup group = new TaskGroup(threads, 1);
        group.submit(() -> {
            started.countDown();
            Thread.sleep(60_000);
        });
        started.await();
        group.cancel();
        group.await();
        assertThat(group.failure()).isNull();
    }
}
