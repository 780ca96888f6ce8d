package io.keepsake.testkit.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
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
 * Crash catalog 11 for the prevalent engine: a data directory left by a power cut (a snapshot, then unforced
 * journal appends with a torn tail) is recovered with the power cut again during recovery, at its 1st, 2nd, ...
 * disk operation, each time on what the previous cut left. Every recovery that completes, and the final one,
 * yields the same state.
 */
class RecoveryCrashTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void repeatedCrashesDuringRecoveryConvergeToTheSameState() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Path base = Files.createDirectory(tmp.resolve("seed-" + seed));
            long s = seed;
            CrashFixtures.replayable("failed with seed " + seed, () -> {
                run(s, base);
                return null;
            });
        }
    }

    private void run(long seed, Path base) throws Exception {
        Path root = Files.createDirectory(base.resolve("work"));
        Path dir = root.resolve("data");
        FaultyDisk first = FaultyDisk.over(root, seed).unforcedPages(true);
        Prevalent<Tally> p = Tally.builder(dir, first).durability(Durability.NONE).open();
        for (int i = 1; i <= 30; i++) {
            p.execute(Tally.add(i));
            if (i == 10) {
                p.snapshot();
            }
        }
        first.powerLoss();
        CrashFixtures.closeQuietly(p);

        Path referenceRoot = base.resolve("reference");
        CrashFixtures.copyTree(root, referenceRoot);
        Tally reference;
        long referenceSequence;
        try (Prevalent<Tally> r = Tally.open(referenceRoot.resolve("data"), FaultyDisk.over(referenceRoot, 0))) {
            reference = r.query(t -> t);
            referenceSequence = r.lastSequence();
        }
        assertTrue(referenceSequence >= 10, "the snapshot's events are forced, seed " + seed);
        assertEquals(Tally.oracle(referenceSequence), reference, "seed " + seed);

        int cleanAt = -1;
        for (int n = 1; n < 1000 && cleanAt < 0; n++) {
            FaultyDisk disk = FaultyDisk.over(root, seed * 1000 + n).unforcedPages(n % 2 == 1);
            disk.failFrom(DiskOp.ANY, n);
            String context = "seed " + seed + ", recovery cut at disk call " + n;
            try {
                Prevalent<Tally> recovered = Tally.open(dir, disk);
                assertEquals(reference, recovered.query(t -> t), context);
                assertEquals(referenceSequence, recovered.lastSequence(), context);
                CrashFixtures.closeQuietly(recovered);
            } catch (KeepsakeException expected) {
                // the cut hit recovery: try again on what it left
            }
            if (disk.injectedFailures() == 0) {
                cleanAt = n;
            }
            disk.powerLoss();
        }
        System.out.println("seed " + seed + ": recovered " + referenceSequence + " events; recovery ran clean at "
                + "disk call " + cleanAt);
        assertTrue(cleanAt > 3, "recovery took only " + cleanAt + " disk calls");
        try (Prevalent<Tally> last = Tally.open(dir, FaultyDisk.over(root, 0))) {
            assertEquals(reference, last.query(t -> t), "seed " + seed + " after all cuts");
            last.execute(Tally.add((int) referenceSequence + 1));
            assertEquals(Tally.oracle(referenceSequence + 1), last.query(t -> t), "appends work afterwards");
        }
    }
}
