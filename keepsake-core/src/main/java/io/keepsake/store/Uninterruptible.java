package io.keepsake.store;

import io.keepsake.internal.concurrent.Completion;
import java.util.function.Supplier;

/**
 * Runs a file operation on a fresh virtual thread that nobody interrupts. NIO closes a channel when a thread using
 * it is interrupted, which would fail a write half-way (and fail-stop the store) or, for the shared lock file, drop
 * every lock this JVM holds on it. The caller waits on a kernel {@link Completion}: without reacting to interrupts,
 * without spinning when its flag is set, and with its interrupt status restored on return.
 */
final class Uninterruptible {
    private Uninterruptible() {
    }

    /**
     * @return what {@code task} returned
     * @throws RuntimeException the exception {@code task} threw, unchanged (an {@link Error} too)
     */
    static <T> T call(Supplier<T> task) {
        Completion<T> done = new Completion<>();
        Thread.ofVirtual().name("keepsake-store-io").start(() -> {
            try {
                done.complete(task.get());
            } catch (Throwable t) {
                done.fail(t);
            }
        });
        return done.await();
    }
}
