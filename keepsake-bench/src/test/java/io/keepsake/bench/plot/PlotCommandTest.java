package io.keepsake.bench.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench plot} on small fixture files: every chart it promises is a real PNG, named after its run. */
class PlotCommandTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Instant RUN = Instant.parse("2026-12-02T14:05:00Z");

    @TempDir
    Path tmp;

    private Path fixtures(String... suites) throws IOException {
        Path results = Files.createDirectories(tmp.resolve("results"));
        for (String suite : suites) {
            try (InputStream in = PlotCommandTest.class.getResourceAsStream("/plot/" + suite + ".csv")) {
                Path csv = results.resolve(suite + ".csv");
                Files.copy(in, csv);
                Files.setLastModifiedTime(csv, FileTime.from(RUN));
            }
        }
        return results;
    }

    @Test
    void everyChartOfTheThreeSuitesIsANonEmptyValidPng() throws IOException {
        Path docs = tmp.resolve("docs");
        StringWriter log = new StringWriter();
        List<Path> written = PlotCommand.run(fixtures("journal", "prevalence", "ref"), docs, new PrintWriter(log));

        Set<String> names = new TreeSet<>();
        for (Path png : written) {
            names.add(png.getFileName().toString());
            byte[] bytes = Files.readAllBytes(png);
            assertTrue(bytes.length > 1000, png + " has " + bytes.length + " bytes");
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), png + " starts like a PNG");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " decodes");
            assertEquals(Charts.WIDTH, image.getWidth());
            assertEquals(Charts.HEIGHT, image.getHeight());
            assertTrue(log.toString().contains(png.toString()), log.toString());
        }
        assertEquals(Set.of("bench-journal-throughput.png", "bench-journal-latency.png",
                "bench-prevalence-throughput.png", "bench-prevalence-recovery.png", "bench-prevalence-snapshot.png",
                "bench-prevalence-disk.png", "bench-ref-latency.png"), names);
    }

    @Test
    void aSuiteWithoutResultsIsSkippedAndNoResultsAtAllIsAnError() throws IOException {
        List<Path> written = PlotCommand.run(fixtures("ref"), tmp.resolve("docs"),
                new PrintWriter(new StringWriter()));
        assertEquals(List.of(tmp.resolve("docs/bench-ref-latency.png")), written);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> PlotCommand.run(empty, tmp.resolve("docs2"),
                new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("no journal.csv"), e.getMessage());
    }

    @Test
    void titlesNameTheRunByFileAndTimeAndQuotedFieldsParse() throws IOException {
        ResultsCsv csv = ResultsCsv.read(fixtures("prevalence").resolve("prevalence.csv"));
        assertEquals(RUN, csv.written());
        assertEquals("Recovery (prevalence.csv, run of 2026-12-02 14:05 UTC)", Charts.title("Recovery", csv));
        ResultsCsv.Row quoted = csv.rows().get(csv.rows().size() - 1);
        assertEquals("a \"quoted\", system", quoted.system());
        assertEquals(50.0, quoted.value());
        var chart = Charts.byWriters(csv, "t", "execute-100B", "events_per_s", "events/s");
        assertEquals(Set.of("keepsake", "prevayler", "eclipsestore-forced"), chart.getSeriesMap().keySet());
    }

    @Test
    void aFileThatIsNotAResultsFileIsRefused() throws IOException {
        Path bad = Files.writeString(tmp.resolve("journal.csv"), "a,b\n1,2\n");
        IOException e = assertThrows(IOException.class, () -> ResultsCsv.read(bad));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }
}
