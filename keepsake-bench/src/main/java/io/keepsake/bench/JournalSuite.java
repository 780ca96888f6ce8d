package io.keepsake.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Durable appends of 100-byte events: the raw fsync limit for the journal's write pattern ({@code raw-fsync}:
 * overwrite of a preallocated region with fdatasync, one thread), the same on a growing file
 * ({@code raw-fsync-grow}, for contrast), Keepsake's journal in SYNC mode and Prevayler 2.6 with journal disk sync,
 * at 1, 16 and 64 writers, interleaved so both see the same machine state; then Keepsake with
 * {@value #VIRTUAL_WRITERS} virtual-thread writers (system {@value #VIRTUAL_SYSTEM}); then {@link PipelinedCase} (case
 * {@code append-100B-pipelined}: 64 writers with 64 asynchronous appends in flight each, still counted only once
 * forced).
 */
final class JournalSuite implements Suite {

    static final String CASE = "append-100B";
    static final int EVENT_SIZE = 100;
    static final int[] WRITERS = {1, 16, 64};
    /** System name of the case with {@value #VIRTUAL_WRITERS} virtual-thread writers, each appending in a loop. */
    static final String VIRTUAL_SYSTEM = "keepsake-vthreads";
    static final int VIRTUAL_WRITERS = 10_000;
    /** The target of the virtual-thread and pipelined cases, in durable events/s. */
    static final double MILLION = 1_000_000;

    /** Opens one system on a fresh directory. */
    @FunctionalInterface
    interface AppenderFactory {
        Appender open(Path dir) throws Exception;
    }

    @Override
    public String name() {
        return "journal";
    }

    @Override
    public String description() {
        return "durable 100-byte appends: raw fsync (preallocated, and growing), Keepsake SYNC journal, "
                + "Prevayler 2.6 (1/16/64 writers); Keepsake with 10,000 virtual-thread writers, and with 64 writers x 64"
                + " async appends in flight";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        measure(name(), CASE, settings, progress, RawFsyncAppender::new, 1, measurements);
        measure(name(), CASE, settings, progress, RawFsyncGrowAppender::new, 1, measurements);
        for (int writers : WRITERS) {
            measure(name(), CASE, settings, progress, KeepsakeAppender::new, writers, measurements);
            measure(name(), CASE, settings, progress, PrevaylerAppender::new, writers, measurements);
        }
        measure(name(), CASE, settings, progress, dir -> new KeepsakeAppender(dir, VIRTUAL_SYSTEM),
                VIRTUAL_WRITERS, true, measurements);
        PipelinedCase.measure(name(), settings, progress, measurements);
        String headline = String.format(Locale.ROOT,
                "%s run, warmup %.1fs + window %.1fs per case, data on %s (%s)", settings.quick() ? "quick" : "full",
                settings.warmup().toMillis() / 1000.0,
                settings.window().toMillis() / 1000.0,
                settings.dataRoot(), fileSystemType(settings.dataRoot()));
        return new Report(name(), headline, measurements, ratios(measurements));
    }

    /**
     * @return keepsake/prevayler throughput at each writer count, keepsake 1-writer p50 / raw-fsync p50, and the
     *     virtual-thread and pipelined cases against their 1M events/s target
     */
    static List<Report.Ratio> ratios(List<Measurement> measurements) {
        List<Report.Ratio> ratios = new ArrayList<>();
        for (int writers : WRITERS) {
            ratios.add(Report.ratio(measurements, "keepsake/prevayler events/s, " + writers + " writer"
                    + (writers == 1 ? "" : "s"), writers == 64 ? ">= 40x" : "", "keepsake", writers, "prevayler",
                    writers, Measurement.EVENTS_PER_S));
        }
        ratios.add(Report.ratio(measurements, "keepsake 1-writer p50 / raw-fsync p50", "<= 1.2x", "keepsake", 1,
                "raw-fsync", 1, Measurement.P50_US));
        ratios.add(perMillion(measurements, VIRTUAL_SYSTEM + " events/s (" + VIRTUAL_WRITERS
                + " virtual threads) / 1M", VIRTUAL_SYSTEM, VIRTUAL_WRITERS));
        ratios.add(perMillion(measurements, PipelinedCase.SYSTEM + " events/s / 1M", PipelinedCase.SYSTEM,
                PipelinedCase.WRITERS));
        return ratios;
    }

    private static Report.Ratio perMillion(List<Measurement> measurements, String label, String system, int threads) {
        double value = Report.find(measurements, system, threads, Measurement.EVENTS_PER_S).orElse(Double.NaN);
        return new Report.Ratio(label, value / MILLION, ">= 1x");
    }

    /**
     * Runs one appender at one writer count on a fresh directory with the shared harness, and adds its
     * events_per_s, p50_us and p99_us rows under {@code suite} and {@code caseName}. Shared with other suites.
     */
    static void measure(String suite, String caseName, RunSettings settings, PrintWriter progress,
                        AppenderFactory factory, int writers, List<Measurement> into) throws Exception {
        measure(suite, caseName, settings, progress, factory, writers, false, into);
    }

    /** Like the other, on {@code writers} virtual threads if {@code virtual}. */
    static void measure(String suite, String caseName, RunSettings settings, PrintWriter progress,
                        AppenderFactory factory, int writers, boolean virtual, List<Measurement> into)
            throws Exception {
        try (TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             Appender appender = factory.open(dir.path())) {
            progress.printf(Locale.ROOT, "  %-10s %2d %swriter(s) ...", appender.system(), writers,
                    virtual ? "virtual-thread " : "");
            progress.flush();
            LoadHarness.Sample sample = LoadHarness.run(writers, virtual, settings.warmup(), settings.window(),
                    thread -> {
                byte[] event = new byte[EVENT_SIZE];
                event[0] = (byte) thread;
                return () -> appender.append(event);
            });
            progress.printf(Locale.ROOT, " %,.0f events/s, p50 %.1f us, p99 %.1f us%n", sample.perSecond(),
                    sample.p50Micros(), sample.p99Micros());
            progress.flush();
            String system = appender.system();
            into.add(new Measurement(suite, caseName, system, writers, Measurement.EVENTS_PER_S,
                    sample.perSecond(), "events/s"));
            into.add(new Measurement(suite, caseName, system, writers, Measurement.P50_US, sample.p50Micros(),
                    "us"));
            into.add(new Measurement(suite, caseName, system, writers, Measurement.P99_US, sample.p99Micros(),
                    "us"));
        }
    }

    private static String fileSystemType(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (Exception e) {
            return "file system unknown";
        }
    }
}
