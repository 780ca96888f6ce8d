package io.keepsake.journal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bounded spin of a synchronous appender on its acknowledgement, before it parks: saves the committer's unpark
 * and the appender's wake-up when a commit is fast. One appender spins at a time (with many appenders one batch
 * acknowledges them all, and a core per spinner would starve the committer), only while recent commits took less
 * than {@value #LIMIT_NANOS} ns (spinning through a slow force only burns a core), for about two commit times, and
 * only as often as {@link SpinBackoff} allows. A virtual thread never spins: parking it is cheap, and a spinning
 * one holds a carrier that other virtual appenders need to add their records to the next batch.
 */
final class AcknowledgementSpin {
    /** Appenders spin only while a batch's write and force take less than this. */
    static final long LIMIT_NANOS = 250_000;

    private final AtomicBoolean held = new AtomicBoolean(); // the spin slot
    private final SpinBackoff backoff = new SpinBackoff(); // guarded by held: used by its holder only

    /**
     * Polls {@code committer} until {@code sequence} is acknowledged or the journal failed, for a bounded time.
     *
     * @param expectedNanos how long recent commits took
     */
    void await(GroupCommitter committer, long sequence, long expectedNanos) {
        if (expectedNanos > LIMIT_NANOS || Thread.currentThread().isVirtual() || !held.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!backoff.tryNow()) {
                return;
            }
            long deadline = System.nanoTime() + 2 * expectedNanos + 10_000;
            while (committer.acknowledged() < sequence && !committer.failed() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            backoff.ended(committer.acknowledged() >= sequence);
        } finally {
            held.set(false);
        }
    }
}
