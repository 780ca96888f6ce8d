package io.keepsake.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The timed-window harness shared by every suite: N threads call an operation in a closed loop; after a warmup
 * the harness opens a measurement window, and only operations started inside it are counted and their latencies
 * recorded (per thread, in an HdrHistogram; merged at the end, so recording takes no lock).
 */
final class LoadHarness {

    /** One operation, called in a loop by one thread. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /**
     * What one case measured.
     *
     * @param threads    how many threads ran
     * @param operations operations started and finished in the window
     * @param nanos      the length of the window
     * @param latency    latencies of those operations, in nanoseconds
     */
    record Sample(int threads, long operations, long nanos, Histogram latency) {
        double perSecond() {
            return operations * 1e9 / nanos;
        }

        double p50Micros() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Micros() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }
    }

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private LoadHarness() {
    }

    /**
     * Runs {@code threads} threads, each looping over the operation {@code perThread} makes for it.
     *
     * @throws Exception the first failure of any operation (the case is abandoned)
     */
    static Sample run(int threads, Duration warmup, Duration window, IntFunction<Operation> perThread)
            throws Exception {
        Phase state = new Phase();
        CountDownLatch started = new CountDownLatch(threads);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker worker = new Worker(perThread.apply(i), state, started, failure);
            workers.add(worker);
            worker.thread.start();
        }
        started.await();
        sleepUnlessFailed(warmup, failure);
        long begin = System.nanoTime();
        state.value = MEASURE;
        sleepUnlessFailed(window, failure);
        state.value = STOP;
        long end = System.nanoTime();
        Histogram merged = new Histogram(3);
        long operations = 0;
        for (Worker worker : workers) {
            worker.thread.join();
            merged.add(worker.latency);
            operations += worker.operations;
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Sample(threads, operations, end - begin, merged);
    }

    private static void sleepUnlessFailed(Duration duration, AtomicReference<Exception> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (failure.get() == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    /** The phase all workers read. */
    private static final class Phase {
        volatile int value = WARMUP; // written by the harness thread, read by workers
    }

    /** One load thread and what it recorded. */
    private static final class Worker {
        final Thread thread;
        final Histogram latency = new Histogram(3); // written by this worker only, read after join
        long operations; // written by this worker only, read after join

        Worker(Operation operation, Phase phase, CountDownLatch started, AtomicReference<Exception> failure) {
            thread = new Thread(() -> {
                started.countDown();
                try {
                    int current;
                    while ((current = phase.value) != STOP && failure.get() == null) {
                        long begin = System.nanoTime();
                        operation.run();
                        long took = System.nanoTime() - begin;
                        if (current == MEASURE) {
                            latency.recordValue(took);
                            operations++;
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-load");
        }
    }
}
