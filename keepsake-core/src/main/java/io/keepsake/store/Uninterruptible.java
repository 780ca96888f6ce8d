package io.keepsake.store;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Runs a file operation on a fresh virtual thread that nobody interrupts. NIO closes a channel when a thread using
 * it is interrupted, which would fail a write half-way (and fail-stop the store) or, for the shared lock file, drop
 * every lock this JVM holds on it. The caller waits without reacting to interrupts and keeps its interrupt status.
 */
final class Uninterruptible {
    private Uninterruptible() {
    }

    /**
     * @return what {@code task} returned
     * @throws RuntimeException the exception {@code task} threw, unchanged
     */
    static <T> T call(Supplier<T> task) {
        FutureTask<T> future = new FutureTask<>(task::get);
        Thread.ofVirtual().name("keepsake-store-io").start(future);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("unexpected checked exception", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
