package io.keepsake.journal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a bounded spin is worth trying, from how the recent ones went. A spin that ends in what it waited
 * for keeps spinning on; one that times out skips the next 1, 3, 7 ... up to {@value #MAX_SKIP} chances before it
 * tries again. On an idle machine spins succeed and save a thread wake-up each; on a machine with more runnable
 * threads than cores the partner thread is often not running, spins time out, and this falls back to parking
 * almost at once instead of burning a core the partner needs.
 *
 * <p>Not thread-safe: used by one thread at a time (the committer thread, or the one appender that holds the spin
 * slot), which hands it on with a volatile write.
 */
final class SpinBackoff {
    static final int MAX_SKIP = 255;

    private int penalty; // guarded by the single user: chances skipped after the next timeout
    private int skip; // guarded by the single user: chances left to skip

    /** @return whether to spin this time; if not, one skipped chance is used up */
    boolean tryNow() {
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    /**
     * Unless backing off, polls {@code value} until it exceeds {@code beyond} or {@code nanos} pass, and records how
     * that ended.
     */
    void spinUntilAbove(AtomicLong value, long beyond, long nanos) {
        spinUntil(() -> value.get() > beyond, nanos);
    }

    /** Unless backing off, polls {@code done} until it is true or {@code nanos} pass, and records how that ended. */
    void spinUntil(BooleanSupplier done, long nanos) {
        if (!tryNow()) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        ended(done.getAsBoolean());
    }

    /** Records how a spin allowed by {@link #tryNow()} ended. */
    void ended(boolean caught) {
        if (caught) {
            penalty = 0;
        } else {
            penalty = Math.min(2 * penalty + 1, MAX_SKIP);
            skip = penalty;
        }
    }
}
