package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.KeepsakeException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 9 for FileStore: a small script (open, creates, a replace, gets, lists, close, reopen, a delete, a create, close) runs once
 * per N with the Nth disk call failing (torn, for a write), either once or from then on (like a power cut).
 * Every failure is a typed {@link KeepsakeException}; close releases every handle; after a power cut and a reopen on a healthy disk every acknowledged change is
 * there, and the change that failed is wholly there or wholly absent. The sweep ends when a run completes with no
 * failure injected.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class FileStoreIoErrorSweepTest {
    @TempDir
    Path tmp;

    /** The disk of the run in progress. */
    private FaultyDisk current;

    /** The durable state the script has acknowledged, plus the one change in flight. */
    private static final class Oracle {
        final Map<String, String> acked = new TreeMap<>();
        final Map<String, String> versions = new HashMap<>();
        String pendingKey;
        String pendingValue; // null: a delete

        void put(Store store, String key, String value) {
            pendingKey = key;
            pendingValue = value;
            String v = versions.get(key);
            versions.put(key, store.put(key, utf8(value), v == null ? Expected.absent() : Expected.version(v)));
            acked.put(key, value);
            pendingKey = null;
        }

        void delete(Store store, String key) {
            pendingKey = key;
            pendingValue = null;
            assertTrue(store.delete(key, Expected.version(versions.get(key))), key);
            versions.remove(key);
            acked.remove(key);
            pendingKey = null;
        }
    }

    @Test
    void failingEachDiskCallInTurnGivesTypedErrorsAndLosesNothingAcknowledged() throws Exception {
        sweep(false);
    }

    @Test
    void failingEveryDiskCallFromTheNthOnLikeAPowerCutLosesNothingAcknowledged() throws Exception {
        sweep(true);
    }

    /** Runs the script for N = 1, 2, ... until a run sees no injected failure; collects every failing run. */
    private void sweep(boolean fromThenOn) throws Exception {
        List<String> failures = new ArrayList<>();
        int runs = 0;
        for (int n = 1; ; n++) {
            assertTrue(n < 2000, "the sweep did not end: every run had a failure injected");
            runs++;
            try {
                if (runOnce(n, fromThenOn)) {
                    break;
                }
            } catch (AssertionError | RuntimeException e) {
                // an exception (a recovery that throws) has no context of its own: name the run and its seed
                failures.add(e instanceof AssertionError ? e.getMessage() : "run " + n + " (seed "
                        + (Fixtures.baseSeed() + n) + "): " + e);
                if (current.injectedFailures() == 0) {
                    break;
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + runs + " runs failed:\n" + String.join("\n",
                failures));
        assertTrue(runs > 8, "the workload made only " + runs + " disk calls");
    }

    private boolean runOnce(int n, boolean fromThenOn) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("n" + n));
        Path dir = root.resolve("store");
        long seed = Fixtures.baseSeed() + n;
        FaultyDisk disk = FaultyDisk.over(root, seed).tornWrites(true).unforcedPages(n % 2 == 1);
        if (fromThenOn) {
            disk.failFrom(DiskOp.ANY, n);
        } else {
            disk.failOnce(DiskOp.ANY, n);
        }
        current = disk;
        String context = (fromThenOn ? "failing every disk call from " : "failing disk call ") + n + " (seed "
                + seed + ")";
        Oracle oracle = new Oracle();
        Store store = null;
        KeepsakeException failure = null;
        try {
            store = Fixtures.store(dir, disk);
            oracle.put(store, "a", "alpha-1");
            oracle.put(store, "dir/b", "beta-" + "b".repeat(3000));
            oracle.put(store, "a", "alpha-2-" + "a".repeat(100));
            assertEquals(List.of("a", "dir/b"), store.list(""), context);
            assertEquals("alpha-2-" + "a".repeat(100), text(store.get("a").orElseThrow().value()), context);
            store.close();
            store = Fixtures.store(dir, disk);
            assertEquals(List.of("a", "dir/b"), store.list(""), context + ": after reopen");
            oracle.delete(store, "dir/b");
            assertEquals(List.of("a"), store.list(""), context);
            oracle.put(store, "c", "gamma");
            assertEquals(List.of("a", "c"), store.list(""), context);
        } catch (KeepsakeException e) {
            failure = e;
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": untyped failure " + e, e);
        }
        if (store != null) {
            try {
                store.close();
            } catch (KeepsakeException e) {
                // close may report a failure; it must still release its files
            } catch (RuntimeException e) {
                throw new AssertionError(context + ": untyped failure from close " + e, e);
            }
        }
        // a leak is reported after the recovery checks, so one run shows every problem it has
        String leak = disk.openHandles() == 0 ? null
                : context + ": leaked handles " + disk.openHandlePaths() + " after " + failure;
        boolean injected = disk.injectedFailures() > 0;
        disk.powerLoss();

        FaultyDisk healthy = FaultyDisk.over(root, seed);
        try (Store reopened = Fixtures.store(dir, healthy)) {
            List<String> keys = new ArrayList<>();
            for (String key : List.of("a", "c", "dir/b")) {
                Optional<Blob> got = reopened.get(key);
                String value = got.map(b -> text(b.value())).orElse(null);
                if (value != null) {
                    keys.add(key);
                }
                String expected = oracle.acked.get(key);
                boolean pendingHere = key.equals(oracle.pendingKey);
                assertTrue(Objects.equals(expected, value) || (pendingHere && Objects.equals(oracle.pendingValue,
                        value)), context + ": " + key + " holds " + abbreviate(value) + ", acknowledged "
                        + abbreviate(expected) + (pendingHere ? ", in flight " + abbreviate(oracle.pendingValue) : "")
                        + " after " + failure);
            }
            assertEquals(keys.stream().sorted().toList(), reopened.list(""), context + ": list after recovery");
        } catch (KeepsakeException e) {
            throw new AssertionError(context + ": recovery on a healthy disk failed after " + failure + ": " + e, e);
        }
        assertEquals(0, healthy.openHandles(), context + ": recovery leaked " + healthy.openHandlePaths());
        if (leak != null) {
            throw new AssertionError(leak);
        }
        return !injected;
    }

    private static String abbreviate(String s) {
        return s == null ? "nothing" : s.length() <= 20 ? s : s.substring(0, 20) + "...(" + s.length() + ")";
    }
}
