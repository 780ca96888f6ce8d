package io.keepsake.bench.ref;

import io.keepsake.bench.LoadHarness;
import io.keepsake.bench.Measurement;
import io.keepsake.bench.Report;
import io.keepsake.bench.RunSettings;
import io.keepsake.bench.Suite;
import io.keepsake.bench.TempDirectory;
import io.keepsake.ref.WriteMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Durable references: a Keepsake SYNC {@code DurableRef} update on the file store against the raw limits of the
 * same number of bytes (an in-place write + fdatasync, what the file store's entry format 2 does per update, and
 * the crash-safe replace it did before: temporary file + force + rename + directory force), a duratom-like
 * replace (temporary file + fsync + rename), H2's MVStore (put + commit + sync) and MapDB 3.1 (set + commit,
 * {@link MapDbUpdater}); then COALESCING updates per
 * second at 1 and 4 threads.
 */
public final class RefSuite implements Suite {
    static final String SYNC_CASE = "sync-update";
    static final String COALESCING_CASE = "coalescing-update";
    static final String UPDATES_PER_S = "updates_per_s";
    static final int[] COALESCING_THREADS = {1, 4};

    /** Opens one system on a fresh directory. */
    @FunctionalInterface
    interface UpdaterFactory {
        Updater open(Path dir) throws Exception;
    }

    @Override
    public String name() {
        return "ref";
    }

    @Override
    public String description() {
        return "durable reference updates: Keepsake SYNC vs raw fsync, durable replace, duratom-like, H2 MVStore,"
                + " MapDB; COALESCING updates/s";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        KeepsakeSyncUpdater[] keepsake = new KeepsakeSyncUpdater[1];
        measureSync(settings, progress, dir -> keepsake[0] = new KeepsakeSyncUpdater(dir, WriteMode.SYNC),
                measurements);
        int size = keepsake[0].bytesPerUpdate();
        measureSync(settings, progress, dir -> new RawUpdaters.InPlaceFsync(dir, size), measurements);
        measureSync(settings, progress, dir -> new RawUpdaters.Replace(dir, size, true), measurements);
        measureSync(settings, progress, dir -> new RawUpdaters.Replace(dir, size, false), measurements);
        measureSync(settings, progress, MvStoreUpdater::new, measurements);
        measureSync(settings, progress, MapDbUpdater::new, measurements);
        for (int threads : COALESCING_THREADS) {
            measureCoalescing(settings, progress, threads, measurements);
        }
        String headline = String.format(Locale.ROOT,
                "%s run, warmup %.1fs + window %.1fs per case; SYNC cases write a long counter, %d bytes per"
                        + " update for keepsake and the raw baselines (one slot of the file store's entry file),"
                        + " data on %s (%s)",
                settings.quick() ? "quick" : "full", settings.warmup().toMillis() / 1000.0,
                settings.window().toMillis() / 1000.0, size, settings.dataRoot(), fileSystemType(settings));
        return new Report(name(), headline, measurements, ratios(measurements));
    }

    static List<Report.Ratio> ratios(List<Measurement> m) {
        List<Report.Ratio> ratios = new ArrayList<>();
        ratios.add(Report.ratio(m, "keepsake SYNC p50 / raw-fsync p50 (in-place write + fdatasync)", "<= 1.2x",
                "keepsake", 1, "raw-fsync", 1, Measurement.P50_US));
        ratios.add(Report.ratio(m, "keepsake SYNC p50 / raw-durable-replace p50 (what the file store did before entry format 2)", "",
                "keepsake", 1, "raw-durable-replace", 1, Measurement.P50_US));
        ratios.add(Report.ratio(m, "keepsake SYNC p50 / duratom-like p50 (no directory force)", "",
                "keepsake", 1, "duratom-like", 1, Measurement.P50_US));
        ratios.add(Report.ratio(m, "keepsake SYNC p50 / h2-mvstore p50", "", "keepsake", 1, "h2-mvstore", 1,
                Measurement.P50_US));
        ratios.add(Report.ratio(m, "keepsake SYNC p50 / mapdb p50", "", "keepsake", 1, "mapdb", 1,
                Measurement.P50_US));
        for (int threads : COALESCING_THREADS) {
            double perSecond = m.stream().filter(x -> x.caseName().equals(COALESCING_CASE)
                    && x.threads() == threads && x.metric().equals(UPDATES_PER_S)).mapToDouble(Measurement::value)
                    .findFirst().orElse(Double.NaN);
            ratios.add(new Report.Ratio("keepsake COALESCING updates/s, " + threads + " thread"
                    + (threads == 1 ? "" : "s") + " / 1,000,000", perSecond / 1_000_000, ">= 1x"));
        }
        return ratios;
    }

    private void measureSync(RunSettings settings, PrintWriter progress, UpdaterFactory factory,
                             List<Measurement> into) throws Exception {
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-ref-")) {
            LoadHarness.Sample sample;
            String system;
            try (Updater updater = factory.open(dir.path())) {
                system = updater.system();
                progress.printf(Locale.ROOT, "  %-20s %-20s ...", SYNC_CASE, system);
                progress.flush();
                sample = LoadHarness.run(1, settings.warmup(), settings.window(), thread -> updater::update);
            }
            progress.printf(Locale.ROOT, " %,.0f updates/s, p50 %.1f us, p99 %.1f us%n", sample.perSecond(),
                    sample.p50Micros(), sample.p99Micros());
            progress.flush();
            record(into, SYNC_CASE, system, sample, true);
        }
    }

    private void measureCoalescing(RunSettings settings, PrintWriter progress, int threads,
                                   List<Measurement> into) throws Exception {
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-ref-");
             KeepsakeSyncUpdater updater = new KeepsakeSyncUpdater(dir.path(), WriteMode.COALESCING)) {
            progress.printf(Locale.ROOT, "  %-20s %-20s %d thread(s) ...", COALESCING_CASE, "keepsake", threads);
            progress.flush();
            LoadHarness.Sample sample = LoadHarness.run(threads, settings.warmup(), settings.window(),
                    thread -> updater::update);
            updater.ref().flush();
            long live = updater.ref().get();
            long stored = updater.stored();
            if (live != stored) {
                throw new IllegalStateException("after flush the store holds " + stored + ", the ref " + live);
            }
            progress.printf(Locale.ROOT, " %,.0f updates/s (flushed: stored %,d = live)%n", sample.perSecond(),
                    stored);
            progress.flush();
            record(into, COALESCING_CASE, "keepsake", sample, false);
        }
    }

    private void record(List<Measurement> into, String caseName, String system, LoadHarness.Sample sample,
                        boolean latency) {
        int threads = sample.threads();
        into.add(new Measurement(name(), caseName, system, threads, UPDATES_PER_S, sample.perSecond(),
                "updates/s"));
        if (latency) {
            into.add(new Measurement(name(), caseName, system, threads, Measurement.P50_US, sample.p50Micros(),
                    "us"));
            into.add(new Measurement(name(), caseName, system, threads, Measurement.P99_US, sample.p99Micros(),
                    "us"));
        }
    }

    private static String fileSystemType(RunSettings settings) {
        try {
            return Files.getFileStore(settings.dataRoot()).type();
        } catch (Exception e) {
            return "file system unknown";
        }
    }
}
