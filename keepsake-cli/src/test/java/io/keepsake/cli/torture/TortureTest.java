package io.keepsake.cli.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash-safety catalog test 1: acknowledged events survive SIGKILL of the writing process, cycle after cycle. */
class TortureTest {
    @TempDir
    Path tmp;

    @Test
    void acknowledgedEventsSurviveSigkillEveryCycle() {
        int cycles = Integer.getInteger("keepsake.crash.cycles", 50);
        long seed = System.nanoTime();
        StringWriter out = new StringWriter();
        Torture.Result result = Torture.run(new Torture.Options(tmp.resolve("system"), cycles, 8, seed, 0, 400),
                new PrintWriter(out));
        String report = out.toString();
        List<String> lines = report.lines().toList();
        assertEquals(result.summary(), lines.get(lines.size() - 1), report);
        assertTrue(lines.get(lines.size() - 1).matches("cycles: \\d+ acknowledged: \\d+ lost: \\d+ unexpected: \\d+"));
        assertEquals(cycles, result.cycles());
        assertEquals(0, result.lost(), "seed " + seed + "\n" + report);
        assertEquals(0, result.unexpected(), "seed " + seed + "\n" + report);
        assertTrue(result.acknowledged() > cycles, "too few acknowledged events to mean anything:\n" + report);
    }

    @Test
    void aSecondRunOnTheSameDirectoryKeepsEverythingTheFirstAcknowledged() {
        Path dir = tmp.resolve("again");
        Torture.Result first = Torture.run(new Torture.Options(dir, 2, 4, 1, 100, 200),
                new PrintWriter(new StringWriter()));
        StringWriter out = new StringWriter();
        Torture.Result second = Torture.run(new Torture.Options(dir, 2, 4, 2, 100, 200), new PrintWriter(out));
        assertTrue(first.ok() && second.ok(), out.toString());
        assertTrue(first.acknowledged() > 0 && second.acknowledged() > 0, out.toString());
    }
}
