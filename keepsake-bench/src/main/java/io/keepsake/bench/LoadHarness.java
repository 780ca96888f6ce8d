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
public final class LoadHarness {

    /** One operation, called in a loop by one thread. */
    @FunctionalInterface
    public interface Operation {
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
    public record Sample(int threads, long operations, long nanos, Histogram latency) {
        public double perSecond() {
            return operations * 1e9 / nanos;
        }

        public double p50Micros() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        public double p99Micros() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }
    }

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;
    /** How many latency histograms virtual threads share. */
    private static final int VIRTUAL_STRIPES = 64;

    private LoadHarness() {
    }

    /**
     * Runs {@code threads} threads, each looping over the operation {@code perThread} makes for it.
     *
     * @throws Exception the first failure of any operation (the case is abandoned)
     */
    public static Sample run(int threads, Duration warmup, Duration window, IntFunction<Operation> perThread)
            throws Exception {
        return run(threads, false, warmup, window, perThread);
    }

    /**
     * Like {@link #run(int, Duration, Duration, IntFunction)}, on virtual threads if {@code virtual} (for cases of
     * thousands of writers, each a virtual thread as a server on Loom would run them).
     */
    public static Sample run(int threads, boolean virtual, Duration warmup, Duration window,
                             IntFunction<Operation> perThread) throws Exception {
        Phase state = new Phase();
        CountDownLatch started = new CountDownLatch(threads);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Worker> workers = new ArrayList<>();
        // A histogram per thread takes hundreds of KB once it has seen a slow operation: fine for 64 platform
        // threads, gigabytes (and a GC storm) for 10,000 virtual ones, which share a few locked stripes instead.
        Histogram[] stripes = new Histogram[virtual ? Math.min(threads, VIRTUAL_STRIPES) : 0];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Histogram(3);
        }
        for (int i = 0; i < threads; i++) {
            Histogram latency = virtual ? stripes[i % stripes.length] : new Histogram(3);
            Worker worker = new Worker(perThread.apply(i), state, started, failure, virtual, latency);
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
            if (!virtual) {
                merged.add(worker.latency);
            }
            operations += worker.operations;
        }
        for (Histogram stripe : stripes) {
            merged.add(stripe);
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
        final Histogram latency; // this worker's own (written by it only, read after join), or a locked stripe
        long operations; // written by this worker only, read after join

        Worker(Operation operation, Phase phase, CountDownLatch started, AtomicReference<Exception> failure,
               boolean virtual, Histogram latency) {
            this.latency = latency;
            Runnable body = () -> {
                started.countDown();
                try {
                    int current;
                    while ((current = phase.value) != STOP && failure.get() == null) {
                        long begin = System.nanoTime();
                        operation.run();
                        long took = System.nanoTime() - begin;
                        if (current == MEASURE) {
                            if (virtual) {
                                synchronized (latency) { // a stripe shared by virtual threads
                                    latency.recordValue(took);
                                }
                            } else {
                                latency.recordValue(took);
                            }
                            operations++;
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            };
            thread = virtual ? Thread.ofVirtual().name("bench-load-virtual").unstarted(body)
                    : new Thread(body, "bench-load");
        }
    }
}
