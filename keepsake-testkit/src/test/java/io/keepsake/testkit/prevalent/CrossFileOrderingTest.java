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
 * events it holds.
 */
class CrossFileOrderingTest {
    private static final int EVENTS = 18;

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void powerCutAroundRollsSnapshotsAndSegmentDeletionNeverLeavesHistoryUncovered() throws Exception {
        int completedAt = -1;
        for (int n = 1; n < 3000 && completedAt < 0; n++) {
            Path root = Files.createDirectory(tmp.resolve("cut-" + n));
            Path dir = root.resolve("data");
            FaultyDisk disk = FaultyDisk.over(root, n).unforcedPages(n % 2 == 0);
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
            if (disk.injectedFailures() == 0) {
                completedAt = n;
            }
            String survived = disk.powerLoss();
            if (p != null) {
                CrashFixtures.closeQuietly(p);
            }
            String context = "cut at disk call " + n + ", acked " + acked + ", " + survived;
            try (Prevalent<Tally> reopened = Tally.open(dir, FaultyDisk.over(root, n))) {
                long recovered = reopened.lastSequence();
                assertTrue(recovered >= acked, context + ": acknowledged events lost, recovered " + recovered);
                assertTrue(recovered <= acked + 1, context + ": recovered events never executed: " + recovered);
                assertEquals(Tally.oracle(recovered), reopened.query(t -> t), context);
            } catch (KeepsakeException e) {
                throw new AssertionError(context + ": recovery failed", e);
            }
        }
        System.out.println("cross-file workload completed unhurt at disk call " + completedAt);
        assertTrue(completedAt > 50, "the workload completed unhurt after only " + completedAt + " disk calls");
    }
}
