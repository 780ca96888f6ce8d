package io.keepsake.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recovery alone, for profiling and for issue 11's two recovery targets: replay of N events against Prevayler 2.6
 * ({@link RecoveryCase}, 1M with {@code --quick}, 10M in a full run; target 3,000,000 events/s), and open-to-ready
 * of a snapshot followed by 10M events ({@link RecoveryAfterSnapshotCase}; target at most 5 s).
 */
final class RecoverySuite implements Suite {
    /** Events after the snapshot in the open-to-ready case, in every run: the size. */
    static final int AFTER_SNAPSHOT_EVENTS = 10_000_000;

    private final int replayEvents; // 0: chosen from the run settings
    private final int afterSnapshotEvents;

    RecoverySuite() {
        this(0, AFTER_SNAPSHOT_EVENTS);
    }

    RecoverySuite(int replayEvents, int afterSnapshotEvents) {
        this.replayEvents = replayEvents;
        this.afterSnapshotEvents = afterSnapshotEvents;
    }

    @Override
    public String name() {
        return "recovery";
    }

    @Override
    public String description() {
        return "recovery alone: replay of N events vs Prevayler 2.6, and open-to-ready of a snapshot + 10M events";
    }

    @Override
    public Report run(RunSettings settings, PrintWriter progress) throws Exception {
        int events = replayEvents > 0 ? replayEvents
                : settings.quick() ? PrevalenceSizes.quick().recoveryEvents() : PrevalenceSizes.full().recoveryEvents();
        List<Measurement> measurements = new ArrayList<>();
        progress.println("recovery (open = replay of every event, files in the page cache):");
        measurements.addAll(RecoveryCase.run(name(), settings, events, progress));
        progress.println("open to ready after a snapshot (files in the page cache):");
        measurements.addAll(RecoveryAfterSnapshotCase.run(name(), settings, afterSnapshotEvents, progress));
        List<Report.Ratio> ratios = new ArrayList<>();
        ratios.add(Report.ratio(measurements, "recovery keepsake/prevayler events/s", "", "keepsake", 1, "prevayler",
                1, RecoveryCase.RECOVERY_EVENTS_PER_S));
        double replay = Report.find(measurements, "keepsake", 1, RecoveryCase.RECOVERY_EVENTS_PER_S)
                .orElse(Double.NaN);
        ratios.add(new Report.Ratio("recovery keepsake events/s / 3,000,000", replay / 3_000_000, ">= 1x"));
        double open = Report.find(measurements, RecoveryAfterSnapshotCase.caseName(afterSnapshotEvents), "keepsake",
                1, RecoveryAfterSnapshotCase.OPEN_S).orElse(Double.NaN);
        double target = RecoveryAfterSnapshotCase.TARGET_S_FOR_10M * afterSnapshotEvents / 10_000_000.0;
        ratios.add(new Report.Ratio(String.format(Locale.ROOT, "snapshot + %s open-to-ready s / %.1f s",
                PrevalenceSizes.label(afterSnapshotEvents), target), open / target, "<= 1x"));
        String headline = String.format(Locale.ROOT, "%s run, %,d events replayed, snapshot + %,d events opened, "
                + "data on %s; Prevayler 2.6 without deep copy, Java serialization", settings.quick() ? "quick"
                : "full", events, afterSnapshotEvents, settings.dataRoot());
        return new Report(name(), headline, measurements, ratios);
    }
}
