package io.keepsake.testkit.crash;

import static io.keepsake.testkit.crash.Fixtures.text;
import static io.keepsake.testkit.crash.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 10 for FileStore's in-place update (entry format 2: write the slot that does not hold the newest
 * version, then fdatasync). The key starts with both slots filled, so the update overwrites a slot that held a
 * real older version. Values span several 512-byte sectors so that a torn page leaves a slot half new, half old.
 * A torn write of the new slot must leave the previous version readable and writable; a power cut after the force
 * must show the new version; a cut at any disk call leaves the previous or the new version, whole.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class FileStoreSlotPowerLossTest {
    private static final String KEY = "settings/main";
    private static final String OLDER = "older:" + "o".repeat(2100);
    private static final String OLD = "old:" + "p".repeat(2500);
    private static final String NEW = "new:" + "n".repeat(3000);
    private static final int SEEDS = Math.max(8, Fixtures.pageSeeds(8));

    @TempDir
    Path tmp;

    /** @return a store directory where the key holds OLD in one slot and OLDER in the other */
    private Path seeded(String name) throws Exception {
        Path root = Files.createDirectory(tmp.resolve(name));
        try (Store s = Fixtures.store(root.resolve("store"), Disk.local())) {
            s.put("other", utf8("untouched"), Expected.absent());
            String v = s.put(KEY, utf8(OLDER), Expected.absent());
            s.put(KEY, utf8(OLD), Expected.version(v));
        }
        return root;
    }

    private static String versionOf(Store store) {
        return store.get(KEY).orElseThrow().version();
    }

    @Test
    void aTornWriteOfTheNewSlotLeavesTheOldVersionReadableAndWritable() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            Path root = seeded("torn-" + seed);
            Path dir = root.resolve("store");
            FaultyDisk disk = FaultyDisk.over(root, Fixtures.baseSeed() + seed).tornWrites(true)
                    .unforcedPages(seed % 2 == 1);
            Store store = Fixtures.store(dir, disk);
            String old = versionOf(store);
            disk.failFrom(DiskOp.WRITE, 1);
            assertThrows(KeepsakeException.class, () -> store.put(KEY, utf8(NEW), Expected.version(old)));
            String survived = disk.powerLoss();
            Fixtures.closeQuietly(store);
            String context = "seed " + seed + ", " + survived;
            try (Store reopened = Fixtures.store(dir, Disk.local())) {
                Blob got = reopened.get(KEY).orElseThrow();
                assertEquals(OLD, text(got.value()), context);
                assertEquals(old, got.version(), context);
                reopened.put(KEY, utf8("after"), Expected.version(old));
                assertEquals("after", text(reopened.get(KEY).orElseThrow().value()), context);
                assertEquals(List.of("other", KEY), reopened.list(""), context);
            }
        }
    }

    @Test
    void aPowerCutBeforeTheForceLeavesOldOrNewAndACutAfterItShowsTheNew() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            for (boolean afterForce : new boolean[] {false, true}) {
                Path root = seeded("cut-" + afterForce + "-" + seed);
                Path dir = root.resolve("store");
                FaultyDisk disk = FaultyDisk.over(root, Fixtures.baseSeed() + seed).unforcedPages(true);
                Store store = Fixtures.store(dir, disk);
                String old = versionOf(store);
                if (!afterForce) {
                    disk.powerLossBefore(DiskOp.FORCE, 1);
                }
                boolean acked = false;
                try {
                    store.put(KEY, utf8(NEW), Expected.version(old));
                    acked = true;
                } catch (KeepsakeException e) {
                    // the power went before the force
                }
                assertEquals(afterForce, acked, "seed " + seed);
                String survived = afterForce ? disk.powerLoss() : disk.powerLossReport();
                Fixtures.closeQuietly(store);
                String context = "seed " + seed + (afterForce ? ", cut after the force, " : ", cut before it, ")
                        + survived;
                try (Store reopened = Fixtures.store(dir, Disk.local())) {
                    String value = reopened.get(KEY).map(b -> text(b.value())).orElse(null);
                    if (afterForce) {
                        assertEquals(NEW, value, context);
                    } else {
                        assertTrue(OLD.equals(value) || NEW.equals(value), context + ": neither old nor new: "
                                + abbreviate(value));
                    }
                    assertEquals("untouched", text(reopened.get("other").orElseThrow().value()), context);
                }
            }
        }
    }

    /** Cuts the power at the Nth disk call of the update, N = 1, 2, ... until it completes, and at random pages. */
    @Test
    void updateCutAtEveryDiskCallLeavesOldOrNewIntact() throws Exception {
        int steps = -1;
        for (int n = 1; n < 100 && steps < 0; n++) {
            boolean injected = false;
            for (int variant = 0; variant <= 2; variant++) {
                long seed = (Fixtures.baseSeed() + n) * 1000 + variant;
                Path root = seeded("step-" + n + "-" + variant);
                Path dir = root.resolve("store");
                FaultyDisk disk = FaultyDisk.over(root, seed).tornWrites(true).unforcedPages(variant > 0);
                Store store = Fixtures.store(dir, disk);
                String old = versionOf(store);
                disk.failFrom(DiskOp.ANY, n);
                boolean acked = false;
                try {
                    store.put(KEY, utf8(NEW), Expected.version(old));
                    acked = true;
                } catch (KeepsakeException e) {
                    // not acknowledged
                }
                injected |= disk.injectedFailures() > 0;
                String survived = disk.powerLoss();
                Fixtures.closeQuietly(store);
                String context = "cut at call " + n + " (seed " + seed + "), acked " + acked + ", " + survived;
                try (Store reopened = Fixtures.store(dir, Disk.local())) {
                    Optional<String> value = reopened.get(KEY).map(b -> text(b.value()));
                    if (acked) {
                        assertEquals(Optional.of(NEW), value, context);
                    } else {
                        assertTrue(Objects.equals(value, Optional.of(OLD)) || Objects.equals(value,
                                Optional.of(NEW)), context + ": " + value.map(FileStoreSlotPowerLossTest::abbreviate));
                    }
                }
            }
            if (!injected) {
                steps = n - 1;
            }
        }
        assertTrue(steps > 0, "the update never completed without an injected failure");
    }

    private static String abbreviate(String s) {
        return s == null ? "nothing" : s.length() <= 20 ? s : s.substring(0, 20) + "...(" + s.length() + " chars)";
    }
}
