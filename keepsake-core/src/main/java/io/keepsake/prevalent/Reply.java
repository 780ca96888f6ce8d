package io.keepsake.prevalent;

import io.keepsake.internal.concurrent.Completion;
import java.util.concurrent.CompletableFuture;

/**
 * Where an engine hands the outcome of one call, exactly once, from whichever thread decides it: a caller of
 * {@code execute} waiting on the kernel {@link Completion}, or a caller of {@code executeAsync} whose
 * {@link CompletableFuture} {@link AsyncCalls} completes on its own thread.
 *
 * <p>Design: the outcome is decided by the {@link Completion}'s compare-and-set, so a second {@link #complete} or
 * {@link #fail} (a bug path failing a call that was already answered) changes nothing and hands nothing over
 * twice. An asynchronous reply is handed to {@link AsyncCalls} only by the call that decided it, so its future is
 * completed, and its in-flight permit released, once.
 *
 * @param <T> the call's result type
 */
final class Reply<T> {
    private final Completion<T> done = new Completion<>();
    private final AsyncCalls calls; // null for a waiting caller
    private final CompletableFuture<T> future; // null for a waiting caller

    private Reply(AsyncCalls calls, CompletableFuture<T> future) {
        this.calls = calls;
        this.future = future;
    }

    /** @return a reply for a caller that waits with {@link #await()} */
    static <T> Reply<T> waiting() {
        return new Reply<>(null, null);
    }

    /** @return a reply that completes {@code future} on the thread of {@code calls} (which holds its permit) */
    static <T> Reply<T> async(AsyncCalls calls, CompletableFuture<T> future) {
        return new Reply<>(calls, future);
    }

    /** Completes with {@code value} unless already decided. */
    void complete(T value) {
        if (done.complete(value) && calls != null) {
            calls.handOff(this);
        }
    }

    /** Fails with {@code error} unless already decided. */
    void fail(Throwable error) {
        if (done.fail(error) && calls != null) {
            calls.handOff(this);
        }
    }

    /** Waits for the outcome (a waiting caller only); see {@link Completion#await()}. */
    T await() {
        return done.await();
    }

    /** On the thread of {@link AsyncCalls}: releases the permit, then completes the future. */
    void deliver() {
        calls.release();
        Throwable failure = done.failure();
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(done.result());
        }
    }
}
