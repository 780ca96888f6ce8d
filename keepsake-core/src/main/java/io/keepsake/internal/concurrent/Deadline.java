package io.keepsake.internal.concurrent;

import io.keepsake.Ticker;

/** A point in a {@link Ticker}'s time after which an operation stops retrying. Immutable. */
public final class Deadline {
    private final Ticker ticker;
    private final long start;
    private final long end;

    private Deadline(Ticker ticker, long nanos) {
        this.ticker = ticker;
        this.start = ticker.read();
        this.end = nanos >= Long.MAX_VALUE - start ? Long.MAX_VALUE : start + nanos;
    }

    /** @return a deadline {@code nanos} after now on {@code ticker} */
    public static Deadline after(Ticker ticker, long nanos) {
        return new Deadline(ticker, nanos);
    }

    /** @return whether the deadline has passed */
    public boolean passed() {
        return ticker.read() - end >= 0;
    }

    /** @return nanoseconds left, zero once passed */
    public long remaining() {
        return Math.max(0, end - ticker.read());
    }

    /** @return nanoseconds since this deadline was set */
    public long elapsed() {
        return ticker.read() - start;
    }

    /** Sleeps on the ticker for {@code nanos}, or until the deadline if that comes first. */
    public void sleep(long nanos) {
        ticker.sleep(Math.min(nanos, remaining()));
    }
}
