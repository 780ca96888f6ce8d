package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prevalence suite's measurement code on tiny sizes: every case runs and reports the rows it promises. */
class PrevalenceSuiteTest {

    @TempDir
    Path tmp;

    private static final PrevalenceSizes TINY = new PrevalenceSizes(3_000, 2_000, 1_000, 2);

    private RunSettings tiny() {
        return new RunSettings(true, Duration.ZERO, Duration.ofMillis(200), tmp.resolve("data"));
    }

    private static Set<String> metrics(List<Measurement> rows, String caseName, String system) {
        return rows.stream().filter(m -> m.caseName().equals(caseName) && m.system().equals(system))
                .map(Measurement::metric).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void wholeSuiteWritesEveryCaseSystemAndMetricToTheCsv() throws Exception {
        StringWriter progress = new StringWriter();
        Report report = new PrevalenceSuite(TINY).run(tiny(), new PrintWriter(progress));
        List<Measurement> rows = report.measurements();

        for (int writers : PrevalenceSuite.WRITERS) {
            for (String system : List.of("keepsake", "keepsake-immutable", "prevayler", "eclipsestore",
                    "eclipsestore-forced")) {
                assertTrue(Report.find(rows, system, writers, Measurement.EVENTS_PER_S).isPresent(),
                        system + " at " + writers);
                assertTrue(Report.find(rows, system, writers, Measurement.P99_US).isPresent());
                if (!system.equals("keepsake-immutable")) {
                    double events = Report.find(rows, system, writers, Measurement.EVENTS_PER_S).orElseThrow();
                    double disk = Report.find(rows, system, writers, DiskFootprint.DISK_BYTES).orElseThrow();
                    assertTrue(events == 0 ? disk >= 0 : disk > 0, system + " at " + writers + ": " + disk);
                }
            }
        }
        assertTrue(Report.find(rows, "keepsake-journal", 64, Measurement.EVENTS_PER_S).isPresent());
        for (String kind : List.of("keepsake", "keepsake-immutable")) {
            assertTrue(Report.find(rows, kind + "-vthreads", PrevalentWritersCase.VTHREADS,
                    Measurement.EVENTS_PER_S).isPresent(), kind + " with virtual threads");
            assertTrue(Report.find(rows, kind + "-async-w64", PrevalentWritersCase.ASYNC_WRITERS,
                    Measurement.EVENTS_PER_S).isPresent(), kind + " with executeAsync");
        }
        Set<String> recovery = Set.of(RecoveryCase.RECOVERY_EVENTS_PER_S, RecoveryCase.RECOVERY_S,
                RecoveryCase.CPU_NS_PER_EVENT);
        assertEquals(recovery, metrics(rows, "recovery-3k", "keepsake"));
        assertEquals(recovery, metrics(rows, "recovery-3k", "prevayler"));
        // EclipseStore reads its newest state rather than replaying, so it reports no CPU per replayed event
        assertEquals(Set.of(RecoveryCase.RECOVERY_EVENTS_PER_S, RecoveryCase.RECOVERY_S),
                metrics(rows, "recovery-3k", "eclipsestore"));
        Set<String> snapshot = Set.of(SnapshotCase.WRITE_MB_PER_S, SnapshotCase.LOAD_MB_PER_S,
                SnapshotCase.SNAPSHOT_MB);
        Set<String> keepsakeSnapshot = new java.util.HashSet<>(snapshot);
        keepsakeSnapshot.add(SnapshotCase.OPEN_CHECKED_MB_PER_S); // the default open, type check included
        assertEquals(keepsakeSnapshot, metrics(rows, "snapshot-2k", "keepsake"));
        assertEquals(snapshot, metrics(rows, "snapshot-2k", "prevayler"));
        assertEquals(snapshot, metrics(rows, "snapshot-2k", "eclipsestore"));
        Set<String> during = Set.of(DuringSnapshotCase.ALONE, DuringSnapshotCase.DURING,
                DuringSnapshotCase.P99_DURING, DuringSnapshotCase.RATIO, DuringSnapshotCase.SNAPSHOTS);
        for (String system : List.of("keepsake-immutable", "keepsake-mutable", "prevayler")) {
            assertEquals(during, metrics(rows, "during-snapshot-1k", system), system);
        }
        assertTrue(rows.stream().allMatch(m -> m.suite().equals("prevalence")), rows.toString());
        // sizes and timed one-shot operations are always finite and positive; load figures may be 0 on a busy
        // machine with a window this short, so they are only required to be present
        assertTrue(rows.stream().filter(m -> !m.caseName().startsWith("execute")
                                && !m.caseName().startsWith("during"))
                .allMatch(m -> m.value() > 0 && Double.isFinite(m.value())), rows.toString());
        // a snapshot of 1,000 entries of ~170 bytes is a fraction of a megabyte, but not nothing
        double keepsakeMb = rows.stream().filter(m -> m.caseName().equals("snapshot-2k")
                && m.system().equals("keepsake") && m.metric().equals(SnapshotCase.SNAPSHOT_MB)).findFirst()
                .orElseThrow().value();
        assertTrue(keepsakeMb > 0.2 && keepsakeMb < 2, "snapshot MB " + keepsakeMb);

        Path csv = tmp.resolve("out/prevalence.csv");
        CsvWriter.write(csv, rows);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("suite,case,system,threads,metric,value,unit", lines.get(0));
        assertEquals(rows.size() + 1, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(
                "prevalence,during-snapshot-1k,keepsake-immutable,2,throughput_during_snapshot_ratio,")), lines
                .toString());

        List<String> labels = report.ratios().stream().map(Report.Ratio::label).toList();
        assertTrue(labels.contains("execute keepsake / bare journal events/s, 64 writers"), labels.toString());
        assertTrue(labels.contains("execute keepsake/eclipsestore-forced events/s, 64 writers"), labels.toString());
        assertEquals(PrevalenceSuite.WRITERS.length + 1 + 4 + 2 + 4 + 4 + 7, labels.size(), labels.toString());
        try (Stream<Path> left = Files.list(tmp.resolve("data"))) {
            assertEquals(0, left.count(), "every case deletes its data directory");
        }
    }

    @Test
    void tablePrintsOneHeaderPerKindOfCase() {
        List<Measurement> rows = List.of(
                new Measurement("prevalence", "execute-100B", "keepsake", 1, Measurement.EVENTS_PER_S, 5000, "e/s"),
                new Measurement("prevalence", "recovery-1M", "keepsake", 1, RecoveryCase.RECOVERY_EVENTS_PER_S,
                        2e6, "events/s"),
                new Measurement("prevalence", "recovery-1M", "prevayler", 1, RecoveryCase.RECOVERY_EVENTS_PER_S,
                        1e6, "events/s"));
        StringWriter text = new StringWriter();
        ResultTable.print(new Report("prevalence", "t", rows, PrevalenceSuite.ratios(rows)), new PrintWriter(text));
        List<String> lines = text.toString().lines().toList();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("case ")).count(), text.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("recovery keepsake/prevayler events/s\\s+2\\.00x.*")),
                text.toString());
    }
}
