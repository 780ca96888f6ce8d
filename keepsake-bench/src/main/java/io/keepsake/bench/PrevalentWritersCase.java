package io.keepsake.bench;

import io.keepsake.bench.PrevalentAppender.Kind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The prevalence suite's many-writer cases, for both prevalent kinds, beside the 1/16/64 platform-thread rows of
 * {@code execute-100B}:
 * <ul>
 *   <li>{@value #VTHREADS} virtual threads, each calling blocking {@code execute} in a loop (system
 *       {@code <kind>-vthreads}, threads {@value #VTHREADS});</li>
 *   <li>{@value #ASYNC_WRITERS} platform threads that each keep {@value #WINDOW} {@code executeAsync} futures in
 *       flight (system {@code <kind>-async-w64}, threads {@value #ASYNC_WRITERS}; the default
 *       {@code maxAsyncInFlight} of 4096 is exactly 64 x 64).</li>
 * </ul>
 * An event counts only once its call returned or its future completed, that is once it is durable (SYNC) and
 * applied. Only throughput is reported: per-thread latency histograms for 10,000 threads would cost hundreds of MB,
 * and an asynchronous operation's time is not one event's latency.
 */
final class PrevalentWritersCase {
    static final int VTHREADS = 10_000;
    static final int ASYNC_WRITERS = 64;
    static final int WINDOW = 64;

    private PrevalentWritersCase() {
    }

    /** @return the CSV system name of a case: {@code keepsake} or {@code keepsake-immutable}, then the suffix */
    static String system(Kind kind, String suffix) {
        return (kind == Kind.MUTABLE ? "keepsake" : "keepsake-immutable") + suffix;
    }

    /** Measures both cases for one kind on fresh directories and adds their events_per_s rows to {@code into}. */
    static void measure(String suite, String caseName, RunSettings settings, PrintWriter progress, Kind kind,
                        List<Measurement> into) throws Exception {
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             PrevalentAppender appender = new PrevalentAppender(dir.path(), kind)) {
            String system = system(kind, "-vthreads");
            progress.printf(Locale.ROOT, "  %-26s %,d virtual threads ...", system, VTHREADS);
            progress.flush();
            double perSecond = virtualWriters(settings, appender);
            progress.printf(Locale.ROOT, " %,.0f events/s (%,d applied)%n", perSecond, appender.events());
            into.add(new Measurement(suite, caseName, system, VTHREADS, Measurement.EVENTS_PER_S, perSecond,
                    "events/s"));
        }
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             PrevalentAppender appender = new PrevalentAppender(dir.path(), kind)) {
            String system = system(kind, "-async-w64");
            progress.printf(Locale.ROOT, "  %-26s %d writers x %d in flight ...", system, ASYNC_WRITERS, WINDOW);
            progress.flush();
            LoadHarness.Sample sample = LoadHarness.run(ASYNC_WRITERS, settings.warmup(), settings.window(),
                    thread -> {
                        byte[] event = new byte[JournalSuite.EVENT_SIZE];
                        event[0] = (byte) thread;
                        Window window = new Window();
                        return () -> window.next(appender, event);
                    });
            progress.printf(Locale.ROOT, " %,.0f durable events/s (%,d applied)%n", sample.perSecond(),
                    appender.events());
            into.add(new Measurement(suite, caseName, system, ASYNC_WRITERS, Measurement.EVENTS_PER_S,
                    sample.perSecond(), "events/s"));
        }
        progress.flush();
    }

    /**
     * {@value #VTHREADS} virtual threads call {@link PrevalentAppender#append} in a loop; after the warmup, calls
     * started inside the window are counted.
     *
     * @return durable events per second in the window
     */
    private static double virtualWriters(RunSettings settings, PrevalentAppender appender) throws Exception {
        AtomicLong phase = new AtomicLong(); // 0 warmup, 1 measure, 2 stop; written by this thread only
        AtomicLong counted = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(VTHREADS);
        List<Thread> threads = new ArrayList<>(VTHREADS);
        for (int i = 0; i < VTHREADS; i++) {
            byte[] event = new byte[JournalSuite.EVENT_SIZE];
            event[0] = (byte) i;
            threads.add(Thread.ofVirtual().name("bench-vwriter").start(() -> {
                started.countDown();
                long mine = 0;
                try {
                    long current;
                    while ((current = phase.get()) != 2 && failure.get() == null) {
                        appender.append(event);
                        if (current == 1) {
                            mine++;
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
                counted.addAndGet(mine);
            }));
        }
        started.await();
        Thread.sleep(settings.warmup());
        long begin = System.nanoTime();
        phase.set(1);
        Thread.sleep(settings.window());
        phase.set(2);
        long end = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return counted.get() * 1e9 / (end - begin);
    }

    /** One writer's futures in flight, oldest first; used by that writer's thread only. */
    static final class Window {
        private final CompletableFuture<?>[] futures = new CompletableFuture<?>[WINDOW];
        private int oldest; // index of the oldest future in flight
        private int count; // futures in flight

        /** One operation: once the window is full, waits until the oldest call completed, then makes the next. */
        void next(PrevalentAppender appender, byte[] event) {
            if (count == WINDOW) {
                futures[oldest].join();
                futures[oldest] = null;
                oldest = (oldest + 1) % WINDOW;
                count--;
            }
            futures[(oldest + count) % WINDOW] = appender.appendAsync(event);
            count++;
        }
    }
}
