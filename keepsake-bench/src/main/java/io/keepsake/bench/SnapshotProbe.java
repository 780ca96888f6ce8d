package io.keepsake.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs only the prevalence suite's snapshot cases (write/load and writers during snapshots), for profiling them
 * without the rest of the suite: {@code java -cp keepsake-bench.jar io.keepsake.bench.SnapshotProbe [write|during]
 * [entries]}. Prints each measurement; writes no CSV (the suite's run is the record).
 */
final class SnapshotProbe {
    private SnapshotProbe() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        PrevalenceSizes quick = PrevalenceSizes.quick();
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        RunSettings settings = new RunSettings(true, RunSettings.QUICK_WARMUP, RunSettings.QUICK_WINDOW,
                Path.of(System.getProperty("java.io.tmpdir")));
        PrintWriter progress = new PrintWriter(System.out, true);
        List<Measurement> m = new ArrayList<>();
        if (!which.equals("during")) {
            m.addAll(SnapshotCase.run("probe", settings, entries > 0 ? entries : quick.snapshotEntries(), progress));
        }
        if (!which.equals("write")) {
            m.addAll(DuringSnapshotCase.run("probe", settings, entries > 0 ? entries : quick.duringEntries(),
                    quick.duringWriters(), progress));
        }
        for (Measurement x : m) {
            progress.printf("%s %s %s %.2f %s%n", x.caseName(), x.system(), x.metric(), x.value(), x.unit());
        }
        progress.flush();
        System.exit(0);
    }
}
