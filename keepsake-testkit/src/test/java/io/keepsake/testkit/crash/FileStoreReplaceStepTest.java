package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keepsake.KeepsakeException;
import io.keepsake.io.Disk;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 5 for FileStore's durable replace (temp write, force, atomic move, directory force): the power is
 * cut before each disk operation of a put or delete in turn; after reopening, the key holds the old or the new
 * value, whole, never neither and never a mix; an acknowledged change is always there.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class FileStoreReplaceStepTest {
    private static final String KEY = "settings/main";
    private static final String OLD = "old-value:" + "o".repeat(300);
    private static final String NEW = "new-value:" + "n".repeat(5000);
    /** Seeds per cut that keep random unforced pages (besides one run that keeps none). */
    private static final int PAGE_SEEDS = Fixtures.pageSeeds(2);

    @TempDir
    Path tmp;

    @Test
    void replaceCutAtEveryStepLeavesOldOrNewIntact() throws Exception {
        sweep("replace", true, s -> s.put(KEY, utf8(NEW), Expected.version(s.get(KEY).orElseThrow().version())),
                OLD, NEW);
    }

    @Test
    void createCutAtEveryStepLeavesNothingOrTheNewValue() throws Exception {
        sweep("create", false, s -> s.put(KEY, utf8(NEW), Expected.absent()), null, NEW);
    }

    @Test
    void deleteCutAtEveryStepLeavesOldOrNothing() throws Exception {
        sweep("delete", true, s -> s.delete(KEY, Expected.version(s.get(KEY).orElseThrow().version())), OLD, null);
    }

    /**
     * For N = 1, 2, ...: cut the power at the Nth disk call of the change, until the change completes unhurt. Each
     * cut is checked once with only durable content surviving and with {@link #PAGE_SEEDS} seeds keeping random
     * unforced pages.
     */
    private void sweep(String name, boolean seedOld, Function<Store, Object> change, String before, String after)
            throws Exception {
        int steps = -1;
        for (int n = 1; n < 500 && steps < 0; n++) {
            boolean injected = false;
            for (int variant = 0; variant <= PAGE_SEEDS; variant++) {
                long seed = (Fixtures.baseSeed() + n) * 1000 + variant;
                int step = n;
                boolean pages = variant > 0;
                String where = name + " cut at call " + n + " with seed " + seed + (pages ? ", unforced pages kept"
                        : "") + " (the sweep is deterministic: rerun it with the same -Dkeepsake.crash.seed)";
                injected |= Fixtures.replayable(where, () -> cutAt(name, step, seed, pages, seedOld, change, before,
                        after));
            }
            if (!injected) {
                steps = n - 1;
            }
        }
        assertTrue(steps > 0, name + " never completed without an injected failure");
    }

    /** @return whether a failure was injected (false: the change completed before call n) */
    private boolean cutAt(String name, int n, long seed, boolean pages, boolean seedOld, Function<Store, Object> change,
                          String before, String after) throws Exception {
        Path root = Files.createDirectory(tmp.resolve(name + "-" + seed));
        Path dir = root.resolve("store");
        try (Store s = Fixtures.store(dir, Disk.local())) {
            s.put("other", utf8("untouched"), Expected.absent());
            if (seedOld) {
                s.put(KEY, utf8(OLD), Expected.absent());
            }
        }
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(pages);
        Store store = Fixtures.store(dir, disk);
        disk.failFrom(DiskOp.ANY, n);
        boolean acked = false;
        try {
            change.apply(store);
            acked = true;
        } catch (KeepsakeException expected) {
            // not acknowledged: old or new may survive
        } catch (RuntimeException e) {
            throw new AssertionError(name + " cut at call " + n + " (seed " + seed + "): untyped " + e, e);
        }
        boolean injected = disk.injectedFailures() > 0;
        String survived = disk.powerLoss();
        Fixtures.closeQuietly(store);
        String context = name + " cut at call " + n + ", acked " + acked + ", " + survived;
        try (Store reopened = Fixtures.store(dir, Disk.local())) {
            Optional<Blob> got = reopened.get(KEY);
            String value = got.map(b -> text(b.value())).orElse(null);
            if (acked) {
                assertTrue(Objects.equals(after, value), context + ": the acknowledged " + name
                        + " was lost, found " + abbreviate(value));
            } else if (!Objects.equals(value, before) && !Objects.equals(value, after)) {
                fail(context + ": neither old nor new: " + abbreviate(value));
            }
            assertEquals("untouched", text(reopened.get("other").orElseThrow().value()), context);
            assertEquals(value == null ? List.of("other") : List.of("other", KEY), reopened.list(""), context);
        }
        return injected;
    }

    private static String abbreviate(String s) {
        return s == null ? "nothing" : s.length() <= 20 ? s : s.substring(0, 20) + "...(" + s.length() + " chars)";
    }
}
