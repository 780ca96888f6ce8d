package io.keepsake.internal.concurrent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th wait (from 0) is uniformly random in
 * {@code [0, min(cap, base * 2^n)]}, so contending writers spread out instead of retrying in lock step. Immutable and
 * thread-safe.
 */
public final class Backoff {
    private final long baseNanos;
    private final long capNanos;

    /**
     * @param baseNanos the first wait's upper bound, positive
     * @param capNanos  the largest upper bound, at least {@code baseNanos}
     */
    public Backoff(long baseNanos, long capNanos) {
        if (baseNanos <= 0 || capNanos < baseNanos) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + baseNanos + " ns, cap "
                    + capNanos + " ns");
        }
        this.baseNanos = baseNanos;
        this.capNanos = capNanos;
    }

    /** @return the upper bound of wait number {@code attempt} (from 0) */
    public long bound(int attempt) {
        int shift = Math.min(Math.max(attempt, 0), 62);
        long bound = baseNanos << shift;
        return bound <= 0 || bound > capNanos || (bound >> shift) != baseNanos ? capNanos : bound;
    }

    /** @return how long to wait before retry number {@code attempt} (from 0) */
    public long delay(int attempt) {
        return ThreadLocalRandom.current().nextLong(bound(attempt) + 1);
    }
}
