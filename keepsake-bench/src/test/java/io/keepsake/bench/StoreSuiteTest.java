package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A very short run of the store suite measures put and get on all five backends (the servers must be up). */
class StoreSuiteTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunMeasuresEveryBackend() throws Exception {
        StringWriter progress = new StringWriter();
        Report report = new StoreSuite().run(new RunSettings(true, Duration.ofMillis(100), Duration.ofMillis(200),
                dir), new PrintWriter(progress));
        Set<String> systems = new TreeSet<>();
        report.measurements().forEach(m -> systems.add(m.system()));
        assertEquals(Set.of("file", "memory", "postgres", "redis", "s3"), systems, progress::toString);
        assertFalse(report.headline().contains("left out"), report::headline);
        // 5 systems x 2 thread counts x 2 operations x 3 metrics
        assertEquals(60, report.measurements().size());
        // A window this short may see no S3 operation finish on a loaded machine: values are only sane, not large.
        assertTrue(report.measurements().stream().allMatch(m -> m.value() >= 0 && Double.isFinite(m.value())),
                progress::toString);
        assertTrue(report.measurements().stream().filter(m -> m.system().equals("memory"))
                .allMatch(m -> m.value() > 0), progress::toString);
    }
}
