package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;
import org.slf4j.MDC;

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
     * And the MB their values spilled to temporary files ({@link XLogPayload}): the reader does not fill the disk
     * ahead of a slow target either. Counted apart from the heap's budget, which they do not use.
     */
    private static final int MAX_MB_SPILLED = 2048;
    /** How long the apply thread naps on an empty queue before it waits to be woken by the next message. */
    private static final long GATHER_NANOS = 100_000L;
    /** The least time between two status updates sent because the apply confirmed a position. */
    private static final long MIN_REPORT_NANOS = 20_000_000L;

    /** What the apply thread takes. */
    sealed interface Item {
    }

    /** @param kb what the message holds of the in-flight budget, {@code mb} of the spilled one */
    record Change(PgOutputMessage message, int kb, int mb) implements Item {
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
    private final Semaphore spilled = new Semaphore(MAX_MB_SPILLED);
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
            spilled.release(c.mb());
        }
        return item;
    }

    private void run() {
        boolean drained = false;
        long lastReport = System.nanoTime();
        try {
            while (!stopped) {
                long now = System.nanoTime();
                if (now - lastReport >= MIN_REPORT_NANOS) {
                    lastReport = now;
                    session.reportConfirmed();
                }
                // once the apply thread has heard that the stream is drained, wait on the socket for the next
                // message (not in a nap loop), until the next report is due or a stop may have been asked
                int wait = drained ? (int) Math.max(1, (lastReport + MIN_REPORT_NANOS - now) / 1_000_000L) : 0;
                StreamSession.Received received = session.poll(wait);
                drained = received == null;
                if (received != null) {
                    int kb = Math.min(MAX_KB_IN_FLIGHT, 1 + received.heapBytes() / 1024);
                    int mb = (int) Math.min(MAX_MB_SPILLED, (received.fileBytes() + (1 << 20) - 1) >> 20);
                    if (!reserve(budget, kb) || !reserve(spilled, mb)) {
                        return;
                    }
                    put(new Change(received.message(), kb, mb));
                } else if (idleQueued.compareAndSet(false, true)) {
                    // also after each wait that timed out: a keepalive may have moved the server position on,
                    // and the apply thread checks for a stop or cutover on it
                    put(new Idle(session.lastReceived()));
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

    /** Waits for {@code n} of a budget; false when closed meanwhile. */
    private boolean reserve(Semaphore of, int n) throws InterruptedException {
        while (!stopped) {
            if (of.tryAcquire(n, 100, TimeUnit.MILLISECONDS)) {
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

    /**
     * Stops the reader and waits for it, so the session can be closed; bounded by the reader's poll. A reader
     * still running then (halfway through a huge message on a slow path) has its socket closed under it: the
     * session must never be used by two threads.
     */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            session.abort();
        }
    }
}
