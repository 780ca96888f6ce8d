package io.keepsake.internal.concurrent;

import io.keepsake.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Ticker} for tests: time moves only when the test {@link #advance advances} it, or, for an auto-advancing
 * ticker, by exactly what each {@link #sleep} asks (a retry loop with backoff then runs at full speed and the test
 * can read how much time it would have taken).
 *
 * <p>A sleep on a ticker that does not auto-advance waits at most a millisecond of real time and returns, so a
 * background loop polling its due time sees an advance within a millisecond.
 */
public final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final boolean autoAdvance;

    private ManualTicker(boolean autoAdvance) {
        this.autoAdvance = autoAdvance;
    }

    /** @return a ticker that moves only on {@link #advance} */
    public static ManualTicker manual() {
        return new ManualTicker(false);
    }

    /** @return a ticker whose {@link #sleep} advances it by the time asked, at once */
    public static ManualTicker autoAdvancing() {
        return new ManualTicker(true);
    }

    @Override
    public long read() {
        return now.get();
    }

    @Override
    public void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        if (autoAdvance) {
            now.addAndGet(nanos);
        } else {
            LockSupport.parkNanos(this, Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }

    /** Moves time forward. */
    public void advance(long amount, TimeUnit unit) {
        now.addAndGet(unit.toNanos(amount));
    }

    /** Moves time forward. */
    public void advance(java.time.Duration amount) {
        now.addAndGet(amount.toNanos());
    }
}
