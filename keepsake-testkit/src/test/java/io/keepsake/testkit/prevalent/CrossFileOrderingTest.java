package io.keepsake.testkit.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.KeepsakeException;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 7 for the prevalent engine: a workload that rolls journal segments, publishes snapshots, prunes
 * the older snapshot and deletes the journal segments it covered, with the power cut before its Nth disk
 * operation for every N. Recovery must always succeed (history is never left uncovered: no gap between the
 * surviving snapshot and the surviving journal), hold every acknowledged event, and equal the oracle state of the
 * events it holds. Each cut is checked with only durable content surviving and with random unforced pages kept.
 */
class CrossFileOrderingTest {
    private static final int EVENTS = 18;
    /** Seeds per cut that keep random unforced pages (besides one run that keeps none). */
    private static final int PAGE_SEEDS = CrashFixtures.pageSeeds();

    @TempDir
    Path tmp;

    /** @return whether a failure was injected (false: the workload completed before disk call n) */
    private boolean cutAt(int n, long seed, boolean pages) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("cut-" + seed));
        Path dir = root.resolve("data");
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(pages);
        disk.failFrom(DiskOp.ANY, n);
        int acked = 0;
        Prevalent<Tally> p = null;
        try {
            p = Tally.open(dir, disk);
            for (int i = 1; i <= EVENTS; i++) {
                p.execute(Tally.add(i));
                acked = i;
                if (i % 6 == 0) {
                    p.snapshot();
                }
            }
        } catch (KeepsakeException expected) {
            // the cut: everything after it is unacknowledged
        }
        boolean injected = disk.injectedFailures() > 0;
        String survived = disk.powerLoss();
        if (p != null) {
            CrashFixtures.closeQuietly(p);
        }
        String context = "acked " + acked + ", " + survived;
        try (Prevalent<Tally> reopened = Tally.open(dir, FaultyDisk.over(root, seed))) {
            long recovered = reopened.lastSequence();
            assertTrue(recovered >= acked, context + ": acknowledged events lost, recovered " + recovered);
            assertTrue(recovered <= acked + 1, context + ": recovered events never executed: " + recovered);
            assertEquals(Tally.oracle(recovered), reopened.query(t -> t), context);
        } catch (KeepsakeException e) {
            throw new AssertionError(context + ": recovery failed", e);
        }
        return injected;
    }

    @Test
    @Timeout(300)
    void powerCutAroundRollsSnapshotsAndSegmentDeletionNeverLeavesHistoryUncovered() throws Exception {
        int completedAt = -1;
        for (int n = 1; n < 3000 && completedAt < 0; n++) {
            boolean injected = false;
            for (int variant = 0; variant <= PAGE_SEEDS; variant++) {
                long seed = n * 1000L + variant;
                int step = n;
                boolean pages = variant > 0;
                injected |= CrashFixtures.replayable("cut at disk call " + n + " with seed " + seed
                        + (pages ? ", unforced pages kept" : ""), () -> cutAt(step, seed, pages));
            }
            if (!injected) {
                completedAt = n;
            }
        }
        System.out.println("cross-file workload completed unhurt at disk call " + completedAt);
        assertTrue(completedAt > 50, "the workload completed unhurt after only " + completedAt + " disk calls");
    }
}
