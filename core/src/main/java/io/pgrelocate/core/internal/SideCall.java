package io.pgrelocate.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * A start-up step that needs no other's result, run on a thread of its own while the caller goes on (the target's
 * inspection beside the source's, the copy estimates beside preflight): each is a connection and a few round trips.
 * Not thread-safe: one caller joins it.
 */
final class SideCall<T> {
    private final CompletableFuture<T> future;

    private SideCall(CompletableFuture<T> future) {
        this.future = future;
    }

    static <T> SideCall<T> start(ThreadFactory threads, Supplier<T> step) {
        return new SideCall<>(CompletableFuture.supplyAsync(step, r -> threads.newThread(r).start()));
    }

    /** Waits for the step; returns its result or throws its failure as it is. */
    T join() {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Waits for the step, ignoring its outcome: a failure elsewhere is what gets reported, and nothing outlives it. */
    void settle() {
        try {
            future.handle((v, e) -> null).join();
        } catch (RuntimeException ignored) {
            // handle() swallowed the step's own failure; the caller's is the one that matters
        }
    }
}
