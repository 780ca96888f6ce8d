package io.keepsake.bench;

import io.keepsake.Keepsake;
import io.keepsake.bench.PrevalenceModels.Count;
import io.keepsake.bench.PrevalenceModels.Counter;
import io.keepsake.prevalent.Prevalent;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Open-to-ready after a snapshot: the counter model is snapshotted after its first event, N more 100-byte events are
 * journaled after the snapshot ({@link RecoveryCase#fill}), and reopening is timed: load the snapshot, then replay
 * the N events. The journal is in the page cache. Target (issue 11): N = 10M in at most 5 s. The snapshot is the
 * counter's, a few bytes, so the figure is replay speed after a snapshot load, not snapshot load speed (the
 * snapshot case measures that). A smaller directory is recovered first, untimed and repeatedly
 * ({@link RecoveryCase#warmUp}), so the replay path is compiled.
 */
final class RecoveryAfterSnapshotCase {
    static final String OPEN_S = "open_to_ready_s";
    static final String EVENTS_PER_S = "replay_events_per_s";
    static final String CPU_NS_PER_EVENT = RecoveryCase.CPU_NS_PER_EVENT;
    /** The target for 10M events after a snapshot. */
    static final double TARGET_S_FOR_10M = 5.0;

    private RecoveryAfterSnapshotCase() {
    }

    static String caseName(int events) {
        return "snapshot+" + PrevalenceSizes.label(events);
    }

    static List<Measurement> run(String suite, RunSettings settings, int events, PrintWriter progress)
            throws Exception {
        try (TempDirectory warm = new TempDirectory(settings.dataRoot(), "keepsake-bench-");
             TempDirectory dir = new TempDirectory(settings.dataRoot(), "keepsake-bench-")) {
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            int warmEvents = RecoveryCase.warmupEvents(events);
            open(warm, warmEvents, quiet, new long[1]);
            RecoveryCase.warmUp(() -> reopen(warm, warmEvents));
            long[] cpu = new long[1];
            long nanos = open(dir, events, progress, cpu);
            double seconds = nanos / 1e9;
            String caseName = caseName(events);
            return List.of(new Measurement(suite, caseName, "keepsake", 1, OPEN_S, seconds, "s"),
                    new Measurement(suite, caseName, "keepsake", 1, EVENTS_PER_S, events / seconds, "events/s"),
                    new Measurement(suite, caseName, "keepsake", 1, CPU_NS_PER_EVENT, cpu[0] / (double) events,
                            "ns"));
        }
    }

    /** @return nanoseconds from open to ready; {@code cpu} receives the process CPU nanoseconds they took */
    private static long open(TempDirectory dir, int events, PrintWriter progress, long[] cpu) {
        progress.printf(Locale.ROOT, "  keepsake   snapshot + %,d events: writing ...", events);
        progress.flush();
        long fillBegin = System.nanoTime();
        RecoveryCase.fill(dir.path(), events + 1, true);
        progress.printf(Locale.ROOT, " %.1fs; reopening ...", (System.nanoTime() - fillBegin) / 1e9);
        progress.flush();
        long cpuBegin = RecoveryCase.processCpuNanos();
        long took = reopen(dir, events);
        cpu[0] = RecoveryCase.processCpuNanos() - cpuBegin;
        progress.printf(Locale.ROOT, " %.2fs, %,.0f events/s%n", took / 1e9, events / (took / 1e9));
        progress.flush();
        return took;
    }

    /** @return nanoseconds from open to ready of a directory holding a snapshot and {@code events} after it */
    private static long reopen(TempDirectory dir, int events) {
        long begin = System.nanoTime();
        try (Prevalent<Counter> reopened = Keepsake.prevalent(Counter::new).directory(dir.path())
                .register(Count.class).open()) {
            long took = System.nanoTime() - begin;
            long recovered = reopened.query(c -> c.events);
            if (recovered != events + 1L) {
                throw new IllegalStateException("keepsake recovered " + recovered + " events, expected "
                        + (events + 1L));
            }
            return took;
        }
    }
}
