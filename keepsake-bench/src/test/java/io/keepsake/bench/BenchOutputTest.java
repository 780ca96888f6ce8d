package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchOutputTest {

    @TempDir
    Path tmp;

    private static List<Measurement> journalResults() {
        List<Measurement> m = new ArrayList<>();
        add(m, "raw-fsync", 1, 4000, 240, 600);
        for (int writers : JournalSuite.WRITERS) {
            add(m, "keepsake", writers, 3800.0 * writers * 10, 250, 700);
            add(m, "prevayler", writers, 3800.0 * Math.sqrt(writers), 260, 900);
        }
        add(m, JournalSuite.VIRTUAL_SYSTEM, JournalSuite.VIRTUAL_WRITERS, 1_500_000, 5_000, 9_000);
        return m;
    }

    private static void add(List<Measurement> into, String system, int threads, double perSecond, double p50,
                            double p99) {
        into.add(new Measurement("journal", JournalSuite.CASE, system, threads, Measurement.EVENTS_PER_S,
                perSecond, "events/s"));
        into.add(new Measurement("journal", JournalSuite.CASE, system, threads, Measurement.P50_US, p50, "us"));
        into.add(new Measurement("journal", JournalSuite.CASE, system, threads, Measurement.P99_US, p99, "us"));
    }

    @Test
    void csvHasTheFixedHeaderAndOneRowPerMeasurement() throws IOException {
        Path file = tmp.resolve("results/journal.csv");
        CsvWriter.write(file, journalResults());

        List<String> lines = Files.readAllLines(file);
        assertEquals("suite,case,system,threads,metric,value,unit", lines.get(0));
        assertEquals(1 + 8 * 3, lines.size());
        assertEquals("journal,append-100B,raw-fsync,1,events_per_s,4000.0,events/s", lines.get(1));
        assertEquals("journal,append-100B,raw-fsync,1,p50_us,240.0,us", lines.get(2));
        assertTrue(lines.contains("journal,append-100B,prevayler,16,events_per_s,15200.0,events/s"), lines.toString());
    }

    @Test
    void csvQuotesFieldsHoldingCommasOrQuotes() {
        assertEquals("\"a,b\"", CsvWriter.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvWriter.field("say \"hi\""));
        assertEquals("plain", CsvWriter.field("plain"));
        assertEquals("NaN", CsvWriter.number(Double.NaN));
    }

    @Test
    void ratiosCompareKeepsakeWithPrevaylerAtEachWriterCountAndWithRawFsync() {
        List<Report.Ratio> ratios = JournalSuite.ratios(journalResults());

        assertEquals(6, ratios.size());
        assertEquals("keepsake/prevayler events/s, 1 writer", ratios.get(0).label());
        assertEquals(10.0, ratios.get(0).value(), 1e-9);
        assertEquals(40.0, ratios.get(1).value(), 1e-9);
        assertEquals(80.0, ratios.get(2).value(), 1e-9);
        assertEquals("keepsake 1-writer p50 / raw-fsync p50", ratios.get(3).label());
        assertEquals(250.0 / 240.0, ratios.get(3).value(), 1e-9);
        assertEquals("keepsake-vthreads events/s (10000 virtual threads) / 1M", ratios.get(4).label());
        assertEquals(1.5, ratios.get(4).value(), 1e-9);
        assertEquals(">= 1x", ratios.get(4).target());
        assertTrue(Double.isNaN(ratios.get(5).value()), "no pipelined row measured: not a number");
    }

    @Test
    void aMissingSideMakesTheRatioNotANumber() {
        List<Measurement> onlyKeepsake = journalResults().stream().filter(m -> m.system().equals("keepsake"))
                .toList();
        assertTrue(Double.isNaN(JournalSuite.ratios(onlyKeepsake).get(0).value()));
    }

    @Test
    void tableHasOneRowPerSystemAndThreadCountAndPrintsRatios() {
        StringWriter text = new StringWriter();
        List<Measurement> results = journalResults();
        ResultTable.print(new Report("journal", "test run", results, JournalSuite.ratios(results)),
                new PrintWriter(text));

        List<String> lines = text.toString().lines().toList();
        assertEquals("journal: test run", lines.get(0));
        assertTrue(lines.get(1).matches("case\\s+system\\s+threads\\s+events_per_s\\s+p50_us\\s+p99_us"),
                lines.get(1));
        assertTrue(lines.get(2).matches("append-100B\\s+raw-fsync\\s+1\\s+4,000\\s+240\\.0\\s+600\\.0"),
                lines.get(2));
        assertTrue(lines.stream().anyMatch(l -> l.matches("append-100B\\s+keepsake\\s+64\\s+2,432,000\\s+.*")),
                text.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("keepsake/prevayler events/s, 64 writers\\s+80\\.00x"
                + "\\s+\\(target >= 40x\\)")), text.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("keepsake 1-writer p50 / raw-fsync p50\\s+1\\.04x.*")),
                text.toString());
    }

    @Test
    void harnessCountsOnlyOperationsInTheWindowAndRecordsTheirLatencies() throws Exception {
        long[] calls = new long[2];
        LoadHarness.Sample sample = LoadHarness.run(2, java.time.Duration.ofMillis(50),
                java.time.Duration.ofMillis(200), thread -> () -> {
                    calls[thread]++;
                    Thread.sleep(1);
                });
        assertTrue(sample.operations() > 0);
        assertTrue(sample.operations() < calls[0] + calls[1], "warmup operations were counted");
        assertEquals(sample.operations(), sample.latency().getTotalCount());
        assertTrue(sample.p50Micros() >= 1000, "a 1 ms sleep measured as " + sample.p50Micros() + " us");
        assertTrue(sample.p50Micros() <= sample.p99Micros());
    }

    @Test
    void harnessRethrowsTheFirstFailure() {
        IllegalStateException boom = new IllegalStateException("disk full");
        Exception thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> LoadHarness.run(1, java.time.Duration.ZERO, java.time.Duration.ofSeconds(30), thread -> () -> {
                    throw boom;
                }));
        assertEquals(boom, thrown);
    }

    @Test
    void unknownSuitesAndBadArgumentsExitTwo() {
        StringWriter err = new StringWriter();
        assertEquals(2, BenchMain.run(new String[] {"nosuch"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err)));
        assertTrue(err.toString().contains("unknown suite 'nosuch'; suites: journal"), err.toString());
        assertEquals(2, BenchMain.run(new String[] {"journal", "--window", "0"}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));
        StringWriter help = new StringWriter();
        assertEquals(0, BenchMain.run(new String[] {"--help"}, new PrintWriter(help), new PrintWriter(err)));
        assertTrue(help.toString().contains("journal"), help.toString());
    }
}
