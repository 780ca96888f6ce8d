package io.keepsake.bench.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.bench.Measurement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.TimeValue;

class MicroSuiteTest {

    @Test
    void everyBenchmarkRunsUnderJmhAndReportsATimePerOperation() throws Exception {
        // In this JVM (no fork), no warmup, one 50 ms iteration: checks the wiring, not the numbers.
        List<Measurement> measured = MicroSuite.measure(MicroSuite.options(0, 0, 1, TimeValue.milliseconds(50)));

        Set<String> cases = measured.stream().map(Measurement::caseName).collect(Collectors.toSet());
        assertEquals(Set.of("crc32c4KiB", "seal-none", "seal-lz4", "open-none", "open-lz4"), cases);
        assertEquals(5, measured.size(), "one time per case (a single iteration has no error estimate)");
        for (Measurement m : measured) {
            assertEquals(MicroSuite.NAME, m.suite());
            assertEquals(MicroSuite.NS_PER_OP, m.metric());
            assertTrue(m.value() > 0, m + " has no time per operation");
            assertEquals("ns/op", m.unit());
        }
    }
}
