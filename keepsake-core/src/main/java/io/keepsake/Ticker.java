package io.keepsake;

/**
 * A source of monotonic nanoseconds, and a way to wait on them. Keepsake reads time for snapshot intervals, commit
 * intervals, retries and backoff only through a {@code Ticker}, so a test can hand a builder a manual ticker and
 * advance time instead of sleeping. {@link #system()} is the default everywhere.
 */
public interface Ticker {
    /**
     * Reads this ticker's current time. Only differences between two readings mean anything.
     *
     * @return nanoseconds from an arbitrary origin; never decreases
     */
    long read();

    /**
     * Waits for up to {@code nanos} of this ticker's time. It may return early: when the waiting thread is unparked
     * or interrupted (the interrupt flag is left set). Callers re-check their condition and {@link #read()} after.
     *
     * @param nanos how long to wait at most; zero or less returns at once
     */
    void sleep(long nanos);

    /**
     * The real-time ticker every builder uses unless handed another: it reads {@link System#nanoTime()} and sleeps
     * by parking the thread.
     *
     * @return the ticker of {@link System#nanoTime()}
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
