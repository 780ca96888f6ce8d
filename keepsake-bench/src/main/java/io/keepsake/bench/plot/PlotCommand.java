package io.keepsake.bench.plot;

import io.keepsake.bench.plot.ResultsCsv.Row;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * {@code bench plot}: turns the results files of the journal, prevalence and ref suites into PNG charts (XChart),
 * one run per chart, named {@code bench-<suite>-<what>.png}:
 * <ul>
 *   <li>journal: events/s by writers per system; p50 and p99 latency of the 1-writer runs;</li>
 *   <li>prevalence: execute events/s by writers per system; recovery events/s; snapshot write and load MB/s; disk
 *       bytes per event after the execute runs at 64 writers;</li>
 *   <li>ref: p50 and p99 latency of the SYNC updates.</li>
 * </ul>
 * A missing results file or case is skipped; no results file at all is an error.
 */
public final class PlotCommand {

    private PlotCommand() {
    }

    /**
     * Draws every chart it has rows for.
     *
     * @param results where {@code <suite>.csv} files are
     * @param docs    where the PNG files go (created if missing; files of the same name are replaced)
     * @param out     one line per file written
     * @return the files written, in order
     * @throws IOException if a results file cannot be read or a chart cannot be written
     */
    public static List<Path> run(Path results, Path docs, PrintWriter out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        boolean any = false;
        Path journal = results.resolve("journal.csv");
        if (Files.isRegularFile(journal)) {
            any = true;
            ResultsCsv csv = ResultsCsv.read(journal);
            charts.put("bench-journal-throughput", Charts.byWriters(csv, "Journal: durable 100-byte appends/s",
                    "append-100B", "events_per_s", "events/s"));
            charts.put("bench-journal-latency", Charts.bars(csv, "Journal: 1-writer append latency",
                    "append-100B", percentiles(), threads(1), "microseconds"));
        }
        Path prevalence = results.resolve("prevalence.csv");
        if (Files.isRegularFile(prevalence)) {
            any = true;
            ResultsCsv csv = ResultsCsv.read(prevalence);
            charts.put("bench-prevalence-throughput", Charts.byWriters(csv, "Prevalence: durable commands/s",
                    "execute-100B", "events_per_s", "events/s"));
            charts.put("bench-prevalence-recovery", Charts.bars(csv, "Prevalence: recovery (reopen) events/s",
                    "recovery", Map.of("events/s", "recovery_events_per_s"), r -> true, "events/s"));
            Map<String, String> snapshot = new LinkedHashMap<>();
            snapshot.put("write MB/s", "snapshot_write_mb_per_s");
            snapshot.put("load MB/s", "snapshot_load_mb_per_s");
            charts.put("bench-prevalence-snapshot", Charts.bars(csv, "Prevalence: snapshot write and load",
                    "snapshot", snapshot, r -> true, "MB/s"));
            charts.put("bench-prevalence-disk", Charts.bars(csv, "Prevalence: bytes on disk per command, 64 writers",
                    "execute-100B", Map.of("bytes/event", "disk_bytes_per_event"), threads(64), "bytes per event"));
        }
        Path ref = results.resolve("ref.csv");
        if (Files.isRegularFile(ref)) {
            any = true;
            ResultsCsv csv = ResultsCsv.read(ref);
            charts.put("bench-ref-latency", Charts.bars(csv, "Durable ref: SYNC update latency", "sync-update",
                    percentiles(), r -> true, "microseconds"));
        }
        if (!any) {
            throw new IOException("no journal.csv, prevalence.csv or ref.csv in " + results
                    + "; run './bench <suite>' first");
        }
        Files.createDirectories(docs);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Chart<?, ?>> e : charts.entrySet()) {
            if (!Charts.hasSeries(e.getValue())) {
                continue;
            }
            Path png = docs.resolve(e.getKey() + ".png");
            try (OutputStream stream = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(e.getValue(), stream, BitmapEncoder.BitmapFormat.PNG);
            }
            written.add(png);
            out.println("wrote " + png);
        }
        out.flush();
        return written;
    }

    private static Map<String, String> percentiles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("p50", "p50_us");
        m.put("p99", "p99_us");
        return m;
    }

    private static Predicate<Row> threads(int n) {
        return r -> r.threads() == n;
    }
}
