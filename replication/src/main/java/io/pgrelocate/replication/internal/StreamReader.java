package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;
import org.slf4j.MDC;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Receives and decodes one stream session's messages on a thread of its own, into a bounded queue the apply
 * thread takes from, so the network, the decoder and the target work at the same time and a slow target
 * holds back the reader (not memory). The apply thread blocks on the queue, after one 0.1 ms nap when it
 * finds it empty (so that it takes messages in handfuls rather than being woken for each). Its only
 * calls on the session, confirming positions, set volatile fields pgjdbc sends with the reader's next
 * status update. {@link #take()} is for one consumer thread; {@link #close()} is safe from it.
 */
final class StreamReader implements AutoCloseable {
    /** Messages in flight between the threads. */
    private static final int CAPACITY = 4096;
    /**
     * And their bytes as received, in kB: wide rows wait for room instead of filling the heap. A message
     * bigger than this waits until the queue is empty and then takes all of it.
     */
    private static final int MAX_KB_IN_FLIGHT = 16 * 1024;
    /**
     * pgjdbc offers no wait on an empty socket that still sends status updates (a blocking read holds the
     * connection until the server speaks): so the reader naps, growing to this, while nothing arrives.
     */
    private static final long MAX_NAP_NANOS = 1_000_000L;
    /** How long the apply thread naps on an empty queue before it waits to be woken by the next message. */
    private static final long GATHER_NANOS = 100_000L;
    /** The least time between two status updates sent because the apply confirmed a position. */
    private static final long MIN_REPORT_NANOS = 20_000_000L;

    /** What the apply thread takes. */
    sealed interface Item {
    }

    /** @param kb what the message holds of the in-flight budget */
    record Change(PgOutputMessage message, int kb) implements Item {
    }

    /**
     * Nothing was waiting when the reader looked, and {@code received} is the server position as of then:
     * every message received before is ahead of this item in the queue.
     */
    record Idle(Lsn received) implements Item {
    }

    record Failed(Throwable error) implements Item {
    }

    private final StreamSession session;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicBoolean idleQueued = new AtomicBoolean();
    private final Semaphore budget = new Semaphore(MAX_KB_IN_FLIGHT);
    private final Thread thread;
    private volatile boolean stopped;

    StreamReader(StreamSession session) {
        this.session = session;
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        this.thread = new Thread(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            run();
        }, Thread.currentThread().getName() + "-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next item, waiting for one. */
    Item take() throws InterruptedException {
        Item item = queue.poll();
        if (item == null) {
            // the apply is ahead of the reader: a moment's nap lets several messages gather, where waiting on
            // the queue had the reader wake this thread for each one (a fifth of its time on a 2M-row insert)
            LockSupport.parkNanos(GATHER_NANOS);
            item = queue.poll();
        }
        while (item == null && (item = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
            // a reader that died without handing its error over (it failed even to queue it) must not leave
            // the apply thread waiting forever on a database that then never ends
            if (!thread.isAlive() && queue.isEmpty()) {
                return new Failed(new PgRelocateException(ErrorCode.INTERNAL, "the stream reader thread "
                        + thread.getName() + " ended without handing over its error"));
            }
        }
        if (item instanceof Idle) {
            idleQueued.set(false);
        } else if (item instanceof Change c) {
            budget.release(c.kb());
        }
        return item;
    }

    private void run() {
        long nap = 0;
        long lastReport = System.nanoTime();
        try {
            while (!stopped) {
                long now = System.nanoTime();
                if (now - lastReport >= MIN_REPORT_NANOS) {
                    lastReport = now;
                    session.reportConfirmed();
                }
                ByteBuffer buf = session.poll();
                if (buf != null) {
                    int kb = Math.min(MAX_KB_IN_FLIGHT, 1 + buf.remaining() / 1024);
                    if (!reserve(kb)) {
                        return;
                    }
                    put(new Change(PgOutputDecoder.decode(buf), kb));
                    nap = 0;
                } else if (idleQueued.compareAndSet(false, true)) {
                    put(new Idle(session.lastReceived()));
                } else {
                    nap = Math.min(MAX_NAP_NANOS, Math.max(50_000L, nap * 2));
                    LockSupport.parkNanos(nap);
                }
            }
        } catch (Throwable e) {
            // handed to the apply thread, which ends the session (and the run, unless it is transient)
            try {
                put(new Failed(e));
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for {@code kb} of the in-flight budget; false when closed meanwhile. */
    private boolean reserve(int kb) throws InterruptedException {
        while (!stopped) {
            if (budget.tryAcquire(kb, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    private void put(Item item) throws InterruptedException {
        while (!stopped && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            // the apply thread is behind: wait for room, or for close
        }
    }

    /** Stops the reader and waits for it, so the session can be closed; bounded by the reader's poll. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
