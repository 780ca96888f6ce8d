package io.keepsake.bench;

import io.keepsake.ConflictException;
import io.keepsake.ref.DurableRef;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two writers on one key, as two processes sharing a ref: each has its own {@link DurableRef} (SYNC) on its own
 * store instance (the same instance only for the memory store, which cannot be shared otherwise) and its own
 * thread, and calls {@code updateAndGet(x -> x + 1)} a fixed number of times. Every increment is a compare-and-set,
 * so the writers keep invalidating each other's reads. Reported: successful increments per second over the whole
 * run, the calls that threw {@link ConflictException} (the ref gave up; counted, not fatal), and lost updates
 * (successful increments missing from the final stored value; must be 0, except on S3Proxy, whose {@code If-Match}
 * check is not atomic across store instances: see keepsake-s3/README.md). One untimed increment per writer comes
 * first, so that the first backend does not pay for loading the codec.
 *
 * <p>Design: the two writer threads share nothing but a start latch and a failure slot; each counts into its own
 * fields, read by the calling thread after {@link Thread#join()}.
 */
final class ContendedIncrementCase {
    static final String CASE = "contended-increment";
    static final String INCREMENTS_PER_S = "increments_per_s";
    static final String GAVE_UP = "gave_up";
    static final String LOST = "lost_updates";
    static final int WRITERS = 2;

    private ContendedIncrementCase() {
    }

    /** @return increments per writer: one per 20 ms of the measurement window (250 quick, 1,000 full), at least 10 */
    static int incrementsPerWriter(RunSettings settings) {
        return (int) Math.max(10, Math.min(2_000, settings.window().toMillis() / 20));
    }

    /**
     * Runs the case on two store instances of one backend ({@code first} and {@code second} may be the same).
     *
     * @throws Exception any failure other than a {@link ConflictException} (the case is abandoned)
     */
    static void run(String suite, String system, Store first, Store second, int perWriter, PrintWriter progress,
                    List<Measurement> into) throws Exception {
        String key = "contended-" + Long.toHexString(System.nanoTime());
        progress.printf(Locale.ROOT, "  %-12s %d writers x %,d increments ...", system, WRITERS, perWriter);
        progress.flush();
        try (DurableRef<Long> a = DurableRef.builder(Long.class).store(first).key(key).initial(0L).open();
             DurableRef<Long> b = DurableRef.builder(Long.class).store(second).key(key).initial(0L).open()) {
            // One untimed increment each: the first call loads the codec and the store's client paths.
            a.updateAndGet(x -> x + 1);
            b.updateAndGet(x -> x + 1);
            long base = b.get();
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Exception> failure = new AtomicReference<>();
            Writer wa = new Writer(a, perWriter, start, failure);
            Writer wb = new Writer(b, perWriter, start, failure);
            wa.thread.start();
            wb.thread.start();
            long begin = System.nanoTime();
            start.countDown();
            wa.thread.join();
            wb.thread.join();
            long nanos = System.nanoTime() - begin;
            if (failure.get() != null) {
                throw failure.get();
            }
            long done = wa.succeeded + wb.succeeded;
            long gaveUp = wa.gaveUp + wb.gaveUp;
            long stored;
            try (DurableRef<Long> fresh = DurableRef.builder(Long.class).store(first).key(key).initial(-1L).open()) {
                stored = fresh.get() - base;
            }
            double perSecond = done * 1e9 / nanos;
            progress.printf(Locale.ROOT, " %,.0f increments/s, %d gave up, %d lost, %.1fs%n", perSecond, gaveUp,
                    done - stored, nanos / 1e9);
            progress.flush();
            into.add(new Measurement(suite, CASE, system, WRITERS, INCREMENTS_PER_S, perSecond, "increments/s"));
            into.add(new Measurement(suite, CASE, system, WRITERS, GAVE_UP, gaveUp, "calls"));
            into.add(new Measurement(suite, CASE, system, WRITERS, LOST, done - stored, "increments"));
        } finally {
            try {
                first.delete(key, io.keepsake.store.Expected.any());
            } catch (RuntimeException e) {
                // cleanup only: the backend's own cleanup removes its table, prefix or directory anyway
            }
        }
    }

    /** One writer thread and its counts. */
    private static final class Writer {
        final Thread thread;
        long succeeded; // written by this writer only, read after join
        long gaveUp; // written by this writer only, read after join

        Writer(DurableRef<Long> ref, int increments, CountDownLatch start, AtomicReference<Exception> failure) {
            // A plain thread: a load generator standing in for a second process, not a Keepsake worker.
            thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < increments && failure.get() == null; i++) {
                        try {
                            ref.updateAndGet(x -> x + 1);
                            succeeded++;
                        } catch (ConflictException e) {
                            gaveUp++;
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-contended");
        }
    }
}
