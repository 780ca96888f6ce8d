package io.keepsake.journal;

import io.keepsake.StorageException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the appenders of a batch. A waiter is either a parked {@link Thread} (a synchronous append, which re-checks
 * the acknowledged sequence and the failure itself), the {@link CompletableFuture} of an asynchronous one, or null
 * for a record of a bulk append but its last.
 */
final class Waiters {
    private Waiters() {
    }

    /** Acknowledges {@code count} waiters, the first holding sequence {@code first}, and clears their slots. */
    static void complete(Object[] waiters, long first, int count) {
        for (int i = 0; i < count; i++) {
            Object waiter = waiters[i];
            waiters[i] = null;
            if (waiter == null) {
                continue; // a record of appendAll but its last: nobody waits for it alone
            }
            if (waiter instanceof Thread thread) {
                LockSupport.unpark(thread);
            } else {
                @SuppressWarnings("unchecked") // only asynchronous appends put a CompletableFuture<Long> in the slots
                CompletableFuture<Long> future = (CompletableFuture<Long>) waiter;
                future.complete(first + i);
            }
        }
    }

    /** Fails {@code count} waiters with {@code error} and clears their slots. */
    static void fail(Object[] waiters, int count, StorageException error) {
        for (int i = 0; i < count; i++) {
            Object waiter = waiters[i];
            waiters[i] = null;
            fail(waiter, error);
        }
    }

    /** Fails one waiter (a parked thread re-checks the failure itself; null is skipped). */
    static void fail(Object waiter, StorageException error) {
        if (waiter instanceof Thread thread) {
            LockSupport.unpark(thread);
        } else if (waiter instanceof CompletableFuture<?> future) {
            future.completeExceptionally(error);
        }
    }
}
