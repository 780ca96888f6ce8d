package io.keepsake.examples;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The run-report-stop skeleton the demos share: the calling thread reports once a second until a deadline passes,
 * {@link #stop()} is called (for example from a shutdown hook) or the workers fail; {@link #stop()} then waits
 * until the run has closed what it opened, so a Ctrl-C still ends cleanly.
 */
public final class DemoPacer {
    /** Prints one progress line. */
    @FunctionalInterface
    public interface Reporter {
        /**
         * @param second    seconds since the start, from 1
         * @param perSecond operations per second since the previous line
         */
        void report(int second, double perSecond);
    }

    private final Duration duration;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    /** @param duration how long to run; {@link Duration#ZERO} runs until {@link #stop()} */
    public DemoPacer(Duration duration) {
        this.duration = duration;
    }

    /**
     * Reports once a second until the deadline, a stop request, or {@code failed} says so.
     *
     * @param operations the number of operations done so far
     * @param failed     whether the workers have failed
     * @param reporter   prints each line
     */
    public void pace(LongSupplier operations, BooleanSupplier failed, Reporter reporter) {
        long start = System.nanoTime();
        long deadline = duration.isZero() ? Long.MAX_VALUE : start + duration.toNanos();
        long previousCount = 0;
        long previousNanos = start;
        int second = 0;
        while (!failed.getAsBoolean()) {
            long nextTick = Math.min(previousNanos + TimeUnit.SECONDS.toNanos(1), deadline);
            try {
                if (stopRequested.await(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = System.nanoTime();
            long count = operations.getAsLong();
            second++;
            reporter.report(second, (count - previousCount) * 1e9 / Math.max(1, now - previousNanos));
            previousCount = count;
            previousNanos = now;
            if (now >= deadline) {
                return;
            }
        }
    }

    /** Marks the run as finished (its resources closed); call it in a {@code finally}. */
    public void finished() {
        finished.countDown();
    }

    /** Asks a running demo to stop and waits (up to ten seconds) until it has finished. Idempotent. */
    public void stop() {
        stopRequested.countDown();
        try {
            finished.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code run} with a shutdown hook that calls {@code stop}, so Ctrl-C (SIGINT/SIGTERM) stops it cleanly.
     *
     * @return what {@code run} returned
     */
    public static <R> R withShutdownHook(String name, Runnable stop, Supplier<R> run) {
        Thread hook = new Thread(stop, name);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting; the hook is running and waits for the run to finish.
            }
        }
    }
}
