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

/**
 * A very short run of the store suite measures put and get on every backend, PostgreSQL both on a caller's pool and
 * from a URI, and two writers incrementing one ref on each (the servers must be up).
 */
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
        assertEquals(Set.of("file", "memory", "postgres", "postgres-uri", "redis", "s3"), systems, progress::toString);
        assertFalse(report.headline().contains("left out"), report::headline);
        // 6 systems x (2 thread counts x 2 operations x 3 metrics + 3 contended-increment metrics)
        assertEquals(6 * (12 + 3), report.measurements().size());
        for (String system : systems) {
            // S3Proxy checks If-Match non-atomically (keepsake-s3/README.md): two S3Store instances can lose an
            // update there, and the bench reports it; Amazon S3 and every other backend must lose none.
            assertTrue(system.equals("s3") || Report.find(report.measurements(), ContendedIncrementCase.CASE, system,
                    ContendedIncrementCase.WRITERS, ContendedIncrementCase.LOST).orElseThrow() == 0,
                    progress::toString);
            assertTrue(Report.find(report.measurements(), ContendedIncrementCase.CASE, system,
                    ContendedIncrementCase.WRITERS, ContendedIncrementCase.INCREMENTS_PER_S).orElseThrow() > 0,
                    progress::toString);
        }
        // postgres-uri / postgres for put and get at 1 and 8 threads, and for contended increments: all measured
        assertEquals(5, report.ratios().size());
        assertTrue(report.ratios().stream().allMatch(r -> Double.isFinite(r.value())), () -> report.ratios()
                .toString());
        // A window this short may see no S3 operation finish on a loaded machine: values are only sane, not large.
        assertTrue(report.measurements().stream().allMatch(m -> m.value() >= 0 && Double.isFinite(m.value())),
                progress::toString);
        assertTrue(report.measurements().stream().filter(m -> m.system().equals("memory"))
                .filter(m -> !m.metric().equals(ContendedIncrementCase.GAVE_UP)
                        && !m.metric().equals(ContendedIncrementCase.LOST))
                .allMatch(m -> m.value() > 0), progress::toString);
    }
}
