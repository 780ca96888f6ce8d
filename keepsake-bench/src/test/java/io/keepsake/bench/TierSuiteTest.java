package io.keepsake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the tier suite on the loopback Redis and embedded S3Proxy freezes, evicts and ensures keys through
 * the tier and the raw baseline, reports every row it promises with a positive value, and leaves no Redis key under
 * its prefix. No timing is judged.
 */
class TierSuiteTest {
    @TempDir
    Path tmp;

    @Test
    void aTinyRunReportsEveryRowAndCleansUp() throws Exception {
        StringWriter progress = new StringWriter();
        Report report = new TierSuite(60).run(new RunSettings(true, Duration.ofMillis(100),
                Duration.ofMillis(500), tmp), new PrintWriter(progress));
        List<List<Object>> rows = report.measurements().stream()
                .map(m -> List.<Object>of(m.caseName(), m.system(), m.threads(), m.metric())).toList();
        assertEquals(List.of(
                List.of("freeze", "keepsake", 1, "frozen_keys_per_s"),
                List.of("ensure", "keepsake", 1, "ensure_p50_us"),
                List.of("ensure", "keepsake", 1, "ensure_p99_us"),
                List.of("freeze", "raw", 1, "frozen_keys_per_s"),
                List.of("ensure", "raw", 1, "ensure_p50_us"),
                List.of("ensure", "raw", 1, "ensure_p99_us"),
                List.of("freeze", "keepsake", 8, "frozen_keys_per_s"),
                List.of("freeze", "raw", 8, "frozen_keys_per_s")), rows, progress::toString);
        assertTrue(report.measurements().stream().allMatch(m -> m.value() > 0 && Double.isFinite(m.value())),
                () -> report.measurements() + "\n" + progress);
        assertEquals(3, report.ratios().size());
        assertTrue(report.ratios().stream().allMatch(r -> r.value() > 0), () -> report.ratios().toString());

        StringWriter csv = new StringWriter();
        CsvWriter.write(csv, report.measurements());
        assertTrue(csv.toString().contains("\ntier,freeze,raw,8,frozen_keys_per_s,"), csv::toString);
        RedisClient client = RedisClient.create(TierSuite.REDIS_URI);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertEquals(0, TierSuite.countPrefix(c.sync()), "the suite deletes its Redis keys");
        } finally {
            client.shutdown();
        }
    }
}
