package io.keepsake.tier;

import static io.keepsake.tier.RedisTestServer.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers in several processes: a worker in a second JVM ({@link TierWorkerProcess}, launched with this test's class
 * path) is killed with SIGKILL while it holds the claims of a batch it is half-way through freezing. Its claims
 * stay in Redis, return to the queue after the visibility timeout, and this process's worker freezes them; every
 * key, on every Redis type, is then evicted and restored intact.
 */
class TierProcessKillTest extends TierTestBase {
    private static final int BATCH = 8;
    private static final int HANG_AT = 4; // one pack per batch: the child freezes 3 batches, then hangs on the 4th put
    private static final long VISIBILITY_MS = 3_000;

    @TempDir
    Path childDir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hung child, not a timing assertion
    void aWorkerProcessKilledMidPassLosesNothing() throws Exception {
        Map<String, String> before = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            for (Kind kind : Kind.values()) {
                String k = key(kind.name().toLowerCase() + "-" + i);
                kind.write.accept(k);
                before.put(k, content(k));
            }
        }
        String[] keys = before.keySet().toArray(new String[0]);
        RedisTier here = open(builder(cold)); // no workers of its own until the child is dead
        here.dirty(keys);

        Path log = childDir.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                TierWorkerProcess.class.getName(), RedisTestServer.URI, prefix + "t:", coldDir.toString(),
                Integer.toString(HANG_AT), Integer.toString(BATCH), Long.toString(VISIBILITY_MS))
                .redirectError(log.toFile());
        Process child = pb.start();
        String hanging = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; hanging == null && (line = out.readLine()) != null; ) {
                if (line.startsWith("hanging ")) {
                    hanging = line.substring("hanging ".length());
                }
            }
            assertNotNull(hanging, "the child ended before its worker hung; its log: " + Files.readString(log));
            assertTrue(child.isAlive());

            // Mid-pass: 3 batches frozen and committed, the batch in hand claimed.
            TierStats mid = here.stats();
            assertEquals((HANG_AT - 1) * BATCH, mid.frozen(), mid.toString());
            assertEquals(BATCH, mid.claimed(), mid.toString());

            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no release of the claims
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(128 + 9, child.exitValue(), "killed by SIGKILL");
        TierStats dead = here.stats();
        assertEquals(BATCH, dead.claimed(), "the dead worker's claims stay until they time out");
        List<String> held = admin(r -> r.zrange(prefix + "t:claims", 0, -1));

        // This process's worker takes the rest of the queue now and the dead worker's claims once they time out.
        freezeAll(here);
        TierStats after = here.stats();
        assertEquals(keys.length, after.frozen(), after.toString());
        for (String k : held) {
            assertNotNull(admin(r -> r.hget(prefix + "t:frozen", k)), k + " was frozen by the surviving worker");
        }
        assertEquals(keys.length - (HANG_AT - 1) * BATCH, after.freezes(),
                "the survivor froze all but the child's 3 batches");
        assertEquals(keys.length, here.evictIdle());
        List<String> left = new ArrayList<>();
        for (String k : keys) {
            if (exists(k)) {
                left.add(k);
            }
        }
        assertEquals(List.of(), left, "every key evicted");
        here.ensure(keys);
        for (String k : keys) {
            assertEquals(before.get(k), content(k), k);
        }
        assertFalse(here.stats().freezer().unhealthy());
    }
}
