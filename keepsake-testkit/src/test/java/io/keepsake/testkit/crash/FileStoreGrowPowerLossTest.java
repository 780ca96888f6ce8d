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
 * Crash catalog 10b for FileStore's first in-place update of a key (entry format 2): the file holds the header block
 * and slot 0 only, and the update writes slot 1 whole (its record, then zeros to the slot's end), growing the file,
 * then fdatasyncs, which makes the grown size durable with the data. A cut before that force may leave slot 1
 * missing, short, holding garbage or torn; each must read as the old version, and the key must stay writable. A cut
 * after the force shows the new version in a file of both slots.
 */
@Timeout(300) // a hang (a call waiting forever on a dead thread) fails the test instead of blocking the build
class FileStoreGrowPowerLossTest {
    private static final String KEY = "settings/main";
    private static final String OLD = "old:" + "p".repeat(2500);
    private static final String NEW = "new:" + "n".repeat(3000); // spans six sectors, then one sector of padding
    private static final long BOTH_SLOTS = 3 * 4096; // header block, slot 0, slot 1 of one page each
    private static final int SEEDS = Math.max(8, Fixtures.pageSeeds(8));

    @TempDir
    Path tmp;

    /** @return a store directory where the key was put once, so its file has slot 0 only */
    private Path seeded(String name) throws Exception {
        Path root = Files.createDirectory(tmp.resolve(name));
        try (Store s = Fixtures.store(root.resolve("store"), Disk.local())) {
            s.put("other", utf8("untouched"), Expected.absent());
            s.put(KEY, utf8(OLD), Expected.absent());
        }
        Path file = root.resolve("store/settings~main.kse");
        assertEquals(2 * 4096, Files.size(file), "the seeded file has slot 0 only");
        return root;
    }

    private static String versionOf(Store store) {
        return store.get(KEY).orElseThrow().version();
    }

    /** Fails the record write (torn) or the padding write after it, then cuts the power. */
    @Test
    void aTornOrUnfinishedGrowLeavesTheOldVersionReadableAndWritable() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            for (int failingWrite = 1; failingWrite <= 2; failingWrite++) {
                Path root = seeded("torn-" + failingWrite + "-" + seed);
                Path dir = root.resolve("store");
                FaultyDisk disk = FaultyDisk.over(root, Fixtures.baseSeed() + seed).tornWrites(true)
                        .unforcedPages(seed % 2 == 1);
                Store store = Fixtures.store(dir, disk);
                String old = versionOf(store);
                disk.failFrom(DiskOp.WRITE, failingWrite);
                assertThrows(KeepsakeException.class, () -> store.put(KEY, utf8(NEW), Expected.version(old)));
                String survived = disk.powerLoss();
                Fixtures.closeQuietly(store);
                String context = "seed " + seed + ", failing write " + failingWrite + ", " + survived;
                try (Store reopened = Fixtures.store(dir, Disk.local())) {
                    Blob got = reopened.get(KEY).orElseThrow();
                    assertEquals(OLD, text(got.value()), context);
                    assertEquals(old, got.version(), context);
                    String after = reopened.put(KEY, utf8("after"), Expected.version(old));
                    assertEquals("after", text(reopened.get(KEY).orElseThrow().value()), context);
                    reopened.put(KEY, utf8("again"), Expected.version(after));
                    assertEquals("again", text(reopened.get(KEY).orElseThrow().value()), context);
                    assertEquals(BOTH_SLOTS, Files.size(dir.resolve("settings~main.kse")), context);
                    assertEquals(List.of("other", KEY), reopened.list(""), context);
                }
            }
        }
    }

    @Test
    void aCutBeforeTheGrowingForceLeavesOldOrNewAndACutAfterItShowsTheNewInBothSlots() throws Exception {
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
                long size = Files.size(dir.resolve("settings~main.kse"));
                try (Store reopened = Fixtures.store(dir, Disk.local())) {
                    String value = reopened.get(KEY).map(b -> text(b.value())).orElse(null);
                    if (afterForce) {
                        assertEquals(NEW, value, context);
                        assertEquals(BOTH_SLOTS, size, context + ": the force made the grown size durable");
                    } else {
                        assertTrue(OLD.equals(value) || NEW.equals(value), context + ": neither old nor new");
                        assertTrue(size >= 2 * 4096 && size <= BOTH_SLOTS, context + ": size " + size);
                    }
                    assertEquals("untouched", text(reopened.get("other").orElseThrow().value()), context);
                    String version = reopened.get(KEY).orElseThrow().version();
                    reopened.put(KEY, utf8("after"), Expected.version(version));
                    assertEquals("after", text(reopened.get(KEY).orElseThrow().value()), context);
                }
            }
        }
    }

    /** Cuts the power at the Nth disk call of the growing update, N = 1, 2, ... until it completes. */
    @Test
    void growCutAtEveryDiskCallLeavesOldOrNewIntact() throws Exception {
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
                                Optional.of(NEW)), context + ": " + value.map(String::length).orElse(-1) + " chars");
                    }
                }
            }
            if (!injected) {
                steps = n - 1;
            }
        }
        assertTrue(steps > 0, "the update never completed without an injected failure");
    }
}
