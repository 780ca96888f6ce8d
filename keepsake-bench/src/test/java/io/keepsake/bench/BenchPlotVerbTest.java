package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench plot} as the command line runs it: its options, its exit codes. */
class BenchPlotVerbTest {
    @TempDir
    Path tmp;

    @Test
    void plotVerbWritesChartsFromTheResultsDirectoryIntoTheDocsDirectory() throws Exception {
        Path results = Files.createDirectories(tmp.resolve("results"));
        try (InputStream in = BenchPlotVerbTest.class.getResourceAsStream("/plot/ref.csv")) {
            Files.copy(in, results.resolve("ref.csv"));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new String[] {"plot", "--results", results.toString(), "--docs",
                tmp.resolve("docs").toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(Files.size(tmp.resolve("docs/bench-ref-latency.png")) > 0);
    }

    @Test
    void plotVerbExitCodes() {
        StringWriter err = new StringWriter();
        assertEquals(2, BenchMain.run(new String[] {"plot", "--bogus"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err)));
        assertTrue(err.toString().contains("unexpected argument '--bogus'"), err.toString());
        assertEquals(2, BenchMain.run(new String[] {"plot", "--docs"}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));
        assertEquals(1, BenchMain.run(new String[] {"plot", "--results", tmp.resolve("none").toString(), "--docs",
                tmp.resolve("docs").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(err.toString().contains("no journal.csv"), err.toString());
    }
}
