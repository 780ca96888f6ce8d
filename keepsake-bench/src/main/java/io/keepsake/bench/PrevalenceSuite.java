package io.keepsake.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The prevalent engine against Prevayler 2.6 and EclipseStore 2.1.3 ({@link EclipseStoreAppender},
 * {@link EclipseStoreCases}) in one run: {@code execute} throughput of durable 100-byte commands
 * at 1, 16 and 64 writers for both prevalent kinds (and the bare journal at 64, for the engine's overhead), with
 * 10,000 virtual-thread writers and with 64 writers x 64 {@code executeAsync} in flight
 * ({@link PrevalentWritersCase}), recovery of N events, snapshot write and load speed on a large state, and writer
 * throughput while snapshots run (immutable and mutable style,
 * Prevayler). Sizes come from {@link PrevalenceSizes#full()} or, with {@code --quick}, {@link PrevalenceSizes#quick()};
 * tests pass their own.
 */
final class PrevalenceSuite implements Suite {

    static final String EXECUTE_CASE = "execute-100B";
    static final int[] WRITERS = {1, 16, 64};
    static final int JOURNAL_WRITERS = 64;

    private final PrevalenceSizes sizes; // null: chosen from the run settings

    PrevalenceSuite() {
        this(null);
    }

    PrevalenceSuite(PrevalenceSizes sizes) {
        this.sizes = sizes;
    }

    @Override
    public String name() {
        return "prevalence";
    }

    @Override
    public String description() {
        return "prevalent engine vs Prevayler 2.6 and EclipseStore 2.1.3: execute, recovery, snapshot MB/s,"
                + " writers during a snapshot";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        PrevalenceSizes s = sizes != null ? sizes : settings.quick() ? PrevalenceSizes.quick() : PrevalenceSizes.full();
        List<Measurement> measurements = new ArrayList<>();
        progress.println("execute (SYNC, 100-byte commands on a counter):");
        List<Measurement> footprints = new ArrayList<>();
        for (int writers : WRITERS) {
            JournalSuite.measure(name(), EXECUTE_CASE, settings, progress, DiskFootprint.measured(name(),
                    EXECUTE_CASE, writers, PrevalentAppender::new, footprints), writers, measurements);
            JournalSuite.measure(name(), EXECUTE_CASE, settings, progress,
                    dir -> new PrevalentAppender(dir, PrevalentAppender.Kind.IMMUTABLE), writers, measurements);
            JournalSuite.measure(name(), EXECUTE_CASE, settings, progress, DiskFootprint.measured(name(),
                    EXECUTE_CASE, writers, PrevaylerAppender::new, footprints), writers, measurements);
            for (boolean forced : new boolean[] {false, true}) {
                JournalSuite.measure(name(), EXECUTE_CASE, settings, progress, DiskFootprint.measured(name(),
                        EXECUTE_CASE, writers, dir -> new EclipseStoreAppender(dir, forced), footprints), writers,
                        measurements);
            }
        }
        measurements.addAll(footprints);
        for (PrevalentAppender.Kind kind : PrevalentAppender.Kind.values()) {
            PrevalentWritersCase.measure(name(), EXECUTE_CASE, settings, progress, kind, measurements);
        }
        JournalSuite.measure(name(), EXECUTE_CASE, settings, progress,
                dir -> new KeepsakeAppender(dir, "keepsake-journal"), JOURNAL_WRITERS, measurements);
        progress.println("recovery (open = replay of every event, files in the page cache):");
        measurements.addAll(RecoveryCase.run(name(), settings, s.recoveryEvents(), progress));
        measurements.addAll(EclipseStoreCases.recovery(name(), settings, s.recoveryEvents(), progress));
        progress.println("snapshot write and load:");
        measurements.addAll(SnapshotCase.run(name(), settings, s.snapshotEntries(), progress));
        measurements.addAll(EclipseStoreCases.snapshot(name(), settings, s.snapshotEntries(), progress));
        progress.println("writers during snapshots (SYNC):");
        measurements.addAll(DuringSnapshotCase.run(name(), settings, s.duringEntries(), s.duringWriters(),
                progress));
        String headline = String.format(Locale.ROOT,
                "%s run, warmup %.1fs + window %.1fs per load case, %,d events recovered, snapshots of %,d and "
                        + "%,d entries, data on %s; Prevayler 2.6 with journal disk sync, no deep copy, Java "
                        + "serialization; EclipseStore 2.1.3 store per command, defaults (never forced) and "
                        + "forced (every write fdatasynced)", settings.quick() ? "quick" : "full", settings.warmup().toMillis() / 1000.0,
                settings.window().toMillis() / 1000.0, s.recoveryEvents(), s.snapshotEntries(), s.duringEntries(),
                settings.dataRoot());
        return new Report(name(), headline, measurements, ratios(measurements));
    }

    /** @return keepsake/prevayler per figure, execute vs the bare journal, the during-snapshot ratios, targets */
    static List<Report.Ratio> ratios(List<Measurement> m) {
        List<Report.Ratio> ratios = new ArrayList<>();
        for (int writers : WRITERS) {
            ratios.add(Report.ratio(m, "execute keepsake/prevayler events/s, " + writers + " writer"
                    + (writers == 1 ? "" : "s"), "", "keepsake", writers, "prevayler", writers,
                    Measurement.EVENTS_PER_S));
        }
        ratios.add(Report.ratio(m, "execute keepsake / bare journal events/s, " + JOURNAL_WRITERS + " writers",
                ">= 0.8x", "keepsake", JOURNAL_WRITERS, "keepsake-journal", JOURNAL_WRITERS,
                Measurement.EVENTS_PER_S));
        for (PrevalentAppender.Kind kind : PrevalentAppender.Kind.values()) {
            String base = PrevalentWritersCase.system(kind, "");
            ratios.add(Report.ratio(m, "execute " + base + "-vthreads (10,000) / " + base + " (64 writers) events/s",
                    "", base + "-vthreads", PrevalentWritersCase.VTHREADS, base, JOURNAL_WRITERS,
                    Measurement.EVENTS_PER_S));
            ratios.add(Report.ratio(m, "execute " + base + "-async-w64 / " + base + " (64 writers) events/s", "",
                    base + "-async-w64", PrevalentWritersCase.ASYNC_WRITERS, base, JOURNAL_WRITERS,
                    Measurement.EVENTS_PER_S));
        }
        ratios.add(Report.ratio(m, "recovery keepsake/prevayler events/s", "", "keepsake", 1, "prevayler", 1,
                RecoveryCase.RECOVERY_EVENTS_PER_S));
        ratios.add(target(m, "recovery keepsake events/s / 3,000,000", "keepsake", 1,
                RecoveryCase.RECOVERY_EVENTS_PER_S, 3_000_000));
        ratios.add(Report.ratio(m, "snapshot write keepsake/prevayler MB/s", "", "keepsake", 1, "prevayler", 1,
                SnapshotCase.WRITE_MB_PER_S));
        ratios.add(Report.ratio(m, "snapshot load keepsake/prevayler MB/s", "", "keepsake", 1, "prevayler", 1,
                SnapshotCase.LOAD_MB_PER_S));
        ratios.add(target(m, "snapshot write keepsake MB/s / 300", "keepsake", 1, SnapshotCase.WRITE_MB_PER_S, 300));
        ratios.add(target(m, "snapshot load keepsake MB/s / 300", "keepsake", 1, SnapshotCase.LOAD_MB_PER_S, 300));
        ratios.addAll(EclipseStoreCases.ratios(m));
        for (String system : List.of("keepsake-immutable", "keepsake-mutable", "keepsake-mutable-shadow",
                "prevayler")) {
            double value = m.stream().filter(x -> x.system().equals(system)
                            && x.metric().equals(DuringSnapshotCase.RATIO)).mapToDouble(Measurement::value)
                    .findFirst().orElse(Double.NaN);
            ratios.add(new Report.Ratio("writers during/without snapshots, " + system, value,
                    system.equals("keepsake-immutable") || system.equals("keepsake-mutable-shadow") ? ">= 0.5x"
                            : system.equals("keepsake-mutable") ? "none: the locked snapshot blocks writers" : ""));
        }
        return ratios;
    }

    /** @return a measured value divided by its target figure, so 1.0x or more meets the target */
    private static Report.Ratio target(List<Measurement> m, String label, String system, int threads, String metric,
                                       double target) {
        double value = Report.find(m, system, threads, metric).orElse(Double.NaN);
        return new Report.Ratio(label, value / target, ">= 1x");
    }
}
