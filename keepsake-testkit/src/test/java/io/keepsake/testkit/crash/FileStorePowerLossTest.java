package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 2 for FileStore: writers do compare-and-set puts and deletes, the power is cut at a seeded moment
 * with some in flight, and after reopening every key holds the state after its last acknowledged operation or after
 * the one in flight, never a torn or mixed value.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class FileStorePowerLossTest {
    private static final int WRITERS = 3;
    private static final int KEYS_PER_WRITER = 2;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedPutAndDeleteSurvivesAndNothingIsTorn() throws Exception {
        for (int cycle = 0; cycle < Fixtures.cycles(); cycle++) {
            long seed = Fixtures.baseSeed() + cycle;
            Path root = Files.createDirectory(tmp.resolve("cycle-" + seed));
            Fixtures.replayable(seed, () -> runCycle(seed, root));
        }
    }

    /** The value a writer puts as the {@code n}th version of a key: names both, with a length that varies. */
    static String value(String key, int n) {
        return key + "#" + n + "#" + "v".repeat((key.hashCode() & 0xff) % 40 + n * 13 % 300);
    }

    /** Every fourth operation on a key (n = 3, 7, ...) deletes it; the others put {@link #value}. */
    static boolean isDelete(int n) {
        return n % 4 == 3;
    }

    /** @return the key's value after its operation {@code n} (null: absent; n null: before any operation) */
    static String stateAfter(String key, Integer n) {
        return n == null || isDelete(n) ? null : value(key, n);
    }

    private Void runCycle(long seed, Path root) throws Exception {
        Random cut = new Random(seed);
        int cutAfter = 1 + cut.nextInt(40);
        // odd seeds cut at a moment after cutAfter acks; even seeds just before a disk call (any kind), which can
        // land between a temporary file's write and its force, or between a rename and its directory force
        int cutBeforeCall = seed % 2 == 0 ? 20 + cut.nextInt(400) : 0;
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(true);
        Path dir = root.resolve("store");
        Store store = Fixtures.store(dir, disk);
        if (cutBeforeCall > 0) {
            disk.powerLossBefore(DiskOp.ANY, cutBeforeCall);
        }
        Map<String, Integer> acked = new ConcurrentHashMap<>();
        Map<String, Integer> attempted = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Random random = new Random(seed * 31 + w);
            writers.add(Thread.ofPlatform().start(() -> {
                String[] versions = new String[KEYS_PER_WRITER];
                int[] next = new int[KEYS_PER_WRITER];
                while (true) {
                    int k = random.nextInt(KEYS_PER_WRITER);
                    String key = "w" + writer + "/k" + k;
                    attempted.put(key, next[k]);
                    Expected expected = versions[k] == null ? Expected.absent() : Expected.version(versions[k]);
                    try {
                        if (isDelete(next[k])) {
                            store.delete(key, expected);
                            versions[k] = null;
                        } else {
                            versions[k] = store.put(key, utf8(value(key, next[k])), expected);
                        }
                    } catch (RuntimeException e) {
                        return; // power is off
                    }
                    acked.put(key, next[k]);
                    next[k]++;
                    ackCount.incrementAndGet();
                }
            }));
        }
        while ((cutBeforeCall > 0 ? !disk.isPoweredOff() : ackCount.get() < cutAfter)
                && writers.stream().anyMatch(Thread::isAlive)) {
            LockSupport.parkNanos(50_000);
        }
        String survived;
        if (cutBeforeCall > 0) {
            assertTrue(disk.isPoweredOff(), "seed " + seed + ": writers stopped before the power cut");
            survived = disk.powerLossReport();
        } else {
            assertTrue(ackCount.get() >= cutAfter, "seed " + seed + ": writers stopped before the power cut");
            survived = disk.powerLoss();
        }
        for (Thread t : writers) {
            t.join();
        }
        Fixtures.closeQuietly(store);
        String context = (cutBeforeCall > 0 ? "cut before disk call " + cutBeforeCall : "cut after " + cutAfter
                + " acks") + ", acked " + acked + ", " + survived;

        FaultyDisk after = FaultyDisk.over(root, seed);
        try (Store reopened = Fixtures.store(dir, after)) {
            TreeSet<String> present = new TreeSet<>();
            for (int w = 0; w < WRITERS; w++) {
                for (int k = 0; k < KEYS_PER_WRITER; k++) {
                    String key = "w" + w + "/k" + k;
                    Optional<Blob> got = reopened.get(key);
                    Integer ack = acked.get(key);
                    Integer tried = attempted.get(key);
                    String v = got.map(b -> text(b.value())).orElse(null);
                    boolean ok = Objects.equals(v, stateAfter(key, ack)) || Objects.equals(v, stateAfter(key, tried));
                    assertTrue(ok, context + ": " + key + " holds neither the state after acked op #" + ack
                            + " nor after in-flight op #" + tried + ": "
                            + (v == null ? "nothing" : v.substring(0, Math.min(40, v.length()))));
                    if (got.isEmpty()) {
                        continue;
                    }
                    present.add(key);
                    String version = reopened.put(key, utf8("again"), Expected.version(got.get().version()));
                    assertEquals("again", text(reopened.get(key).orElseThrow().value()), context);
                    assertTrue(version != null, context);
                }
            }
            assertEquals(List.copyOf(present), reopened.list(""), context);
        }
        assertEquals(0, after.openHandles(), context + ": leaked " + after.openHandlePaths());
        return null;
    }
}
