package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery suite on tiny sizes: both cases run, every system reports its rows, the ratios are computed. */
class RecoverySuiteTest {

    @TempDir
    Path tmp;

    private static Set<String> metrics(List<Measurement> rows, String caseName, String system) {
        return rows.stream().filter(m -> m.caseName().equals(caseName) && m.system().equals(system))
                .map(Measurement::metric).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void replayAndOpenAfterASnapshotReportEveryRowAndRatio() throws Exception {
        RunSettings settings = new RunSettings(true, Duration.ZERO, Duration.ofMillis(200), tmp.resolve("data"));
        Report report = new RecoverySuite(3_000, 2_000).run(settings, new PrintWriter(new StringWriter()));
        List<Measurement> rows = report.measurements();

        Set<String> replay = Set.of(RecoveryCase.RECOVERY_EVENTS_PER_S, RecoveryCase.RECOVERY_S,
                RecoveryCase.CPU_NS_PER_EVENT);
        assertEquals(replay, metrics(rows, "recovery-3k", "keepsake"));
        assertEquals(replay, metrics(rows, "recovery-3k", "prevayler"));
        assertEquals(Set.of(RecoveryAfterSnapshotCase.OPEN_S, RecoveryAfterSnapshotCase.EVENTS_PER_S,
                        RecoveryAfterSnapshotCase.CPU_NS_PER_EVENT),
                metrics(rows, "snapshot+2k", "keepsake"));
        assertTrue(rows.stream().allMatch(m -> m.suite().equals("recovery") && m.value() > 0
                && Double.isFinite(m.value())), rows.toString());
        assertEquals(3, report.ratios().size());
        assertTrue(report.ratios().stream().allMatch(r -> Double.isFinite(r.value()) && r.value() > 0),
                report.ratios().toString());
    }

    @Test
    void fillWritesEveryEventAndASnapshotWhenAsked() throws Exception {
        Path dir = tmp.resolve("filled");
        RecoveryCase.fill(dir, 1_500, true);
        try (var reopened = io.keepsake.Keepsake.prevalent(PrevalenceModels.Counter::new).directory(dir)
                .register(PrevalenceModels.Count.class).open()) {
            assertEquals(1_500L, (long) reopened.query(c -> c.events));
            assertEquals(1_500, reopened.lastSequence());
        }
        try (var snapshots = java.nio.file.Files.list(dir.resolve("snapshots"))) {
            assertTrue(snapshots.findAny().isPresent(), "a snapshot was taken");
        }
    }
}
