package io.keepsake.testkit.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.KeepsakeException;
import io.keepsake.io.Disk;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 5 for the prevalent engine: the power is cut before each disk operation of a snapshot in turn
 * (chunk writes, forces, renames, directory forces, the manifest, pruning the older snapshot, trimming the journal).
 * After recovery the old or the new snapshot is there, and the recovered state equals the live state. Each cut is
 * checked with only durable content surviving and with seeds that keep random unforced pages.
 */
class SnapshotPublishPowerLossTest {
    private static final int BEFORE_OLD = 30;
    private static final int TOTAL = 50;
    /** Seeds per cut that keep random unforced pages (besides one run that keeps none). */
    private static final int PAGE_SEEDS = CrashFixtures.pageSeeds();

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void powerCutAtEachStepOfASnapshotLeavesOldOrNewAndRecoveryEqualsLive() throws Exception {
        cutEachStep(false);
    }

    /** The same with a snapshot built from a shadow model: its reads of the base snapshot and journal are cut too. */
    @Test
    @Timeout(300)
    void powerCutAtEachStepOfAShadowSnapshotLeavesOldOrNewAndRecoveryEqualsLive() throws Exception {
        cutEachStep(true);
    }

    private void cutEachStep(boolean shadow) throws Exception {
        Tally live = Tally.oracle(TOTAL);
        Path template = tmp.resolve("template");
        try (Prevalent<Tally> p = Tally.open(template, Disk.local())) {
            for (int i = 1; i <= TOTAL; i++) {
                p.execute(Tally.add(i));
                if (i == BEFORE_OLD) {
                    p.snapshot();
                }
            }
        }
        int completedAt = -1;
        for (int n = 1; n < 1000 && completedAt < 0; n++) {
            boolean injected = false;
            for (int variant = 0; variant <= PAGE_SEEDS; variant++) {
                long seed = n * 1000L + variant;
                int step = n;
                boolean pages = variant > 0;
                injected |= CrashFixtures.replayable("cut at disk call " + n + " with seed " + seed
                        + (pages ? ", unforced pages kept" : ""), () -> cutAt(step, seed, pages, template, live, shadow));
            }
            if (!injected) {
                completedAt = n;
            }
        }
        System.out.println((shadow ? "shadow " : "") + "snapshot completed unhurt at disk call " + completedAt);
        assertTrue(completedAt > 5, "the snapshot never completed without a failure, or took too few steps");
    }

    /** @return whether a failure was injected (false: the snapshot completed before disk call n) */
    private boolean cutAt(int n, long seed, boolean pages, Path template, Tally live, boolean shadow)
            throws Exception {
        Path root = Files.createDirectory(tmp.resolve("cut-" + seed));
        Path dir = root.resolve("data");
        CrashFixtures.copyTree(template, dir);
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(pages);
        Prevalent<Tally> p = Tally.builder(dir, disk).shadowSnapshots(shadow).open();
        disk.failFrom(DiskOp.ANY, n);
        boolean acked = false;
        try {
            assertEquals(TOTAL, p.snapshot());
            acked = true;
        } catch (KeepsakeException expected) {
            // cut mid-snapshot: not acknowledged
        }
        boolean injected = disk.injectedFailures() > 0;
        String survived = disk.powerLoss();
        CrashFixtures.closeQuietly(p);
        String context = "acked " + acked + ", " + survived;
        List<String> manifests = manifests(dir);
        if (acked) {
            assertTrue(manifests.contains(manifest(TOTAL)), context + ": acknowledged snapshot lost: " + manifests);
        } else {
            assertTrue(manifests.contains(manifest(BEFORE_OLD)) || manifests.contains(manifest(TOTAL)),
                    context + ": neither the old nor the new snapshot survived: " + manifests);
        }
        try (Prevalent<Tally> reopened = Tally.open(dir, FaultyDisk.over(root, seed))) { // no faults, no real fsync
            assertEquals(live, reopened.query(t -> t), context);
            assertEquals(TOTAL, reopened.lastSequence(), context);
        }
        return injected;
    }

    static String manifest(long seq) {
        return String.format("snap-%020d/manifest", seq);
    }

    static List<String> manifests(Path dir) {
        try (Store store = FileStore.at(dir.resolve("snapshots"))) {
            return store.list("snap-").stream().filter(k -> k.endsWith("/manifest")).toList();
        }
    }
}
