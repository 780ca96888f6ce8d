package io.keepsake.bench;

import io.keepsake.Keepsake;
import io.keepsake.WorkerStatus;
import io.keepsake.bench.PrevalenceModels.Count;
import io.keepsake.bench.PrevalenceModels.Counter;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Store;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Case {@code backup-lag} of the backup suite: a prevalent system (SYNC journal, mutable counter) with the
 * in-process backup to S3 at its default interval (1 s) and segment size, and {@link #WRITERS} threads executing
 * {@link Count} commands in a closed loop (the shared {@link LoadHarness}: warmup, then the window).
 *
 * <p>The lag of an event is the time from its acknowledgement ({@code execute} returned; the command's result is
 * the event's sequence, as each event adds one to the counter of a fresh system) until the backup's status first
 * showed a shipped sequence at or past it. Writers record (sequence, time) for every event they execute; a
 * sampler thread reads {@link Prevalent#backupStatus()} every millisecond and records each advance, so a lag is
 * exact on the writer's side and up to about a millisecond late on the backup's. Only events acknowledged inside
 * the window count; after the window, the sampler runs until the backup covers them all.
 */
final class BackupLagCase {
    static final String CASE = "backup-lag";
    static final int WRITERS = 16;
    static final String P50_MS = "backup_lag_p50_ms";
    static final String P99_MS = "backup_lag_p99_ms";
    static final String PREFIX = "lag";
    /** How long the backup may take to cover the window's events after the writers stop. */
    private static final long CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

    private BackupLagCase() {
    }

    static void run(String suite, RunSettings settings, PrintWriter progress, EmbeddedS3Endpoint endpoint,
                    int uploadsInFlight, List<Measurement> into) throws Exception {
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-backup-lag-");
             Store store = BackupSuite.store(endpoint);
             Prevalent<Counter> system = Keepsake.prevalent(Counter::new).directory(dir.path())
                     .register(Count.class).backup(store, BackupSuite.options(PREFIX, uploadsInFlight)).open()) {
            progress.printf(Locale.ROOT, "  %-8s %d writers, backup every %d ms ...", "keepsake", WRITERS,
                    BackupSuite.options(PREFIX, uploadsInFlight).interval().toMillis());
            progress.flush();
            Series[] acks = new Series[WRITERS];
            Sampler sampler = new Sampler(system);
            sampler.thread.start();
            try {
                measure(suite, settings, progress, system, sampler, acks, into);
            } finally {
                sampler.stop();
            }
        }
    }

    private static void measure(String suite, RunSettings settings, PrintWriter progress, Prevalent<Counter> system,
                                Sampler sampler, Series[] acks, List<Measurement> into) throws Exception {
        long began = System.nanoTime();
        LoadHarness.Sample sample = LoadHarness.run(WRITERS, settings.warmup(), settings.window(), thread -> {
            Series mine = new Series();
            acks[thread] = mine;
            byte[] payload = new byte[BackupSuite.EVENT_SIZE];
            payload[0] = (byte) thread;
            return () -> {
                long sequence = system.execute(new Count(payload));
                mine.add(sequence, System.nanoTime());
            };
        });
        long windowStart = began + settings.warmup().toNanos();
        long windowEnd = windowStart + sample.nanos();
        // The engine numbers events from 1 on a fresh system; an offset would show here.
        long offset = system.lastSequence() - system.query(c -> c.events);
        long last = system.lastSequence();
        long deadline = System.nanoTime() + CATCH_UP_NANOS;
        while (sampler.seen() < last && System.nanoTime() < deadline && sampler.failure == null) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        sampler.stop();
        if (sampler.failure != null) {
            throw new IllegalStateException("sampling the backup status failed", sampler.failure);
        }
        if (sampler.seen() < last) {
            throw new IllegalStateException("the backup did not reach " + last + " within "
                    + TimeUnit.NANOSECONDS.toSeconds(CATCH_UP_NANOS) + " s: " + system.backupStatus());
        }
        Histogram lag = lags(acks, sampler.shipped, offset, windowStart, windowEnd);
        double p50 = lag.getValueAtPercentile(50) / 1000.0;
        double p99 = lag.getValueAtPercentile(99) / 1000.0;
        progress.printf(Locale.ROOT, " %,.0f events/s; lag of %,d events: p50 %.0f ms, p99 %.0f ms, max %.0f ms; "
                        + "time between ships p50 %.0f ms, max %.0f ms%n", sample.perSecond(), lag.getTotalCount(),
                p50, p99, lag.getMaxValue() / 1000.0, gaps(sampler.shipped, windowStart, windowEnd, 50),
                gaps(sampler.shipped, windowStart, windowEnd, 100));
        progress.flush();
        into.add(new Measurement(suite, CASE, "keepsake", WRITERS, Measurement.EVENTS_PER_S, sample.perSecond(),
                "events/s"));
        into.add(new Measurement(suite, CASE, "keepsake", WRITERS, P50_MS, p50, "ms"));
        into.add(new Measurement(suite, CASE, "keepsake", WRITERS, P99_MS, p99, "ms"));
    }

    /** @return in microseconds, the lag of each event acknowledged in {@code [windowStart, windowEnd)} */
    static Histogram lags(Series[] acks, Series shipped, long offset, long windowStart, long windowEnd) {
        Histogram lag = new Histogram(3);
        for (Series writer : acks) {
            if (writer == null) {
                continue;
            }
            for (int i = 0; i < writer.size; i++) {
                long ackedAt = writer.times[i];
                if (ackedAt < windowStart || ackedAt >= windowEnd) {
                    continue;
                }
                int covered = shipped.firstAtLeast(writer.values[i] + offset);
                if (covered < 0) {
                    throw new IllegalStateException("event " + writer.values[i] + " was never shipped");
                }
                lag.recordValue(Math.max(0, shipped.times[covered] - ackedAt) / 1000);
            }
        }
        if (lag.getTotalCount() == 0) {
            throw new IllegalStateException("no event was acknowledged in the window");
        }
        return lag;
    }

    /** @return in milliseconds, a percentile of the time between successive ships seen inside the window */
    private static double gaps(Series shipped, long windowStart, long windowEnd, double percentile) {
        Histogram gaps = new Histogram(3);
        for (int i = 1; i < shipped.size; i++) {
            if (shipped.times[i - 1] >= windowStart && shipped.times[i] < windowEnd) {
                gaps.recordValue((shipped.times[i] - shipped.times[i - 1]) / 1000);
            }
        }
        return gaps.getTotalCount() == 0 ? Double.NaN : gaps.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Pairs (value, nanoTime) appended by one thread and read after it stopped. */
    static final class Series {
        long[] values = new long[1024];
        long[] times = new long[1024];
        int size;

        void add(long value, long time) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                times = Arrays.copyOf(times, size * 2);
            }
            values[size] = value;
            times[size] = time;
            size++;
        }

        /** @return the index of the first value at or above {@code value} (values ascend), or -1 */
        int firstAtLeast(long value) {
            int low = 0;
            int high = size - 1;
            int found = -1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (values[mid] >= value) {
                    found = mid;
                    high = mid - 1;
                } else {
                    low = mid + 1;
                }
            }
            return found;
        }
    }

    /** Reads the backup's shipped sequence every millisecond on a plain thread, recording each advance. */
    private static final class Sampler {
        final Series shipped = new Series(); // written by the sampler thread only, read after stop()
        final Thread thread;
        private volatile boolean stopping;
        private volatile long seen = -1;
        volatile Throwable failure;

        Sampler(Prevalent<Counter> system) {
            thread = new Thread(() -> {
                try {
                    while (!stopping) {
                        long now = system.backupStatus().map(WorkerStatus::lastSequence).orElse(-1L);
                        if (now > seen) {
                            shipped.add(now, System.nanoTime());
                            seen = now;
                        }
                        TimeUnit.MILLISECONDS.sleep(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }, "bench-backup-sampler");
            thread.setDaemon(true);
        }

        long seen() {
            return seen;
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join();
        }
    }
}
