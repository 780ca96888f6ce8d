package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the backup suite on embedded S3Proxy ships, restores and measures the lag, and reports every row
 * it promises with a positive value; it leaves no data behind. No timing is judged.
 */
class BackupSuiteTest {
    @TempDir
    Path tmp;

    @Test
    void aTinyRunReportsEveryRow() throws Exception {
        StringWriter progress = new StringWriter();
        Path data = tmp.resolve("data");
        Report report = new BackupSuite(20_000).run(new RunSettings(true, Duration.ofMillis(100),
                Duration.ofMillis(500), data), new PrintWriter(progress));
        List<List<Object>> rows = report.measurements().stream()
                .map(m -> List.<Object>of(m.caseName(), m.system(), m.threads(), m.metric())).toList();
        assertEquals(List.of(
                List.of("ship", "keepsake", 4, "ship_mb_per_s"),
                List.of("ship", "keepsake", 4, "events_per_s"),
                List.of("restore", "keepsake", 1, "restore_events_per_s"),
                List.of("ship", "raw-sdk", 4, "ship_mb_per_s"),
                List.of("backup-lag", "keepsake", 16, "events_per_s"),
                List.of("backup-lag", "keepsake", 16, "backup_lag_p50_ms"),
                List.of("backup-lag", "keepsake", 16, "backup_lag_p99_ms")), rows, progress::toString);
        assertTrue(report.measurements().stream().allMatch(m -> m.value() > 0 && Double.isFinite(m.value())),
                () -> report.measurements() + "\n" + progress);
        assertEquals(1, report.ratios().size());
        assertTrue(report.ratios().get(0).value() > 0, () -> report.ratios().toString());

        StringWriter csv = new StringWriter();
        CsvWriter.write(csv, report.measurements());
        assertTrue(csv.toString().contains("\nbackup,ship,raw-sdk,4,ship_mb_per_s,"), csv::toString);
        try (var left = Files.list(data)) {
            assertEquals(List.of(), left.toList(), "the suite deletes its data directories");
        }
    }

    @Test
    void lagsCountFromAcknowledgementToTheFirstShipThatCoversTheEvent() {
        BackupLagCase.Series writer = new BackupLagCase.Series();
        writer.add(1, 1_000_000); // acked at 1 ms
        writer.add(2, 2_000_000);
        writer.add(3, 9_000_000); // outside the window
        BackupLagCase.Series shipped = new BackupLagCase.Series();
        shipped.add(1, 501_000_000); // sequence 1 visible at 501 ms
        shipped.add(5, 1_002_000_000); // 2..5 visible at 1002 ms
        var lag = BackupLagCase.lags(new BackupLagCase.Series[] {writer, null}, shipped, 0, 0, 5_000_000);
        assertEquals(2, lag.getTotalCount());
        assertEquals(500_000, lag.getMinValue(), 500); // microseconds, within the histogram's precision
        assertEquals(1_000_000, lag.getMaxValue(), 1_000);
    }
}
