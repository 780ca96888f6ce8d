package io.keepsake.testkit.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FailStopException;
import io.keepsake.Keepsake;
import io.keepsake.StorageException;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.StateRegistry;
import io.keepsake.store.FileStore;
import io.keepsake.testkit.fault.DiskOp;
import io.keepsake.testkit.fault.FaultyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash catalog 2 and 8 for refs and registries on the file store over a {@link FaultyDisk}: a power cut at a
 * seeded moment keeps every acknowledged update and never a torn value; a failed force is not acknowledged and
 * leaves the in-memory value as it was.
 */
@Timeout(300) // a hang fails the test instead of blocking the build
class RefPowerLossTest {
    @TempDir
    Path tmp;

    @Test
    void acknowledgedRefUpdatesAndRegistrySavesSurvivePowerLoss() throws Exception {
        int cycles = Integer.getInteger("keepsake.crash.cycles", 50);
        for (int cycle = 0; cycle < cycles; cycle++) {
            long seed = 1 + cycle;
            Path root = Files.createDirectory(tmp.resolve("cycle-" + seed));
            try {
                runCycle(seed, root);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("failed with seed " + seed + " (cycle " + cycle + "): " + e, e);
            }
        }
    }

    private void runCycle(long seed, Path root) throws Exception {
        int cutAfter = 1 + new Random(seed).nextInt(15);
        FaultyDisk disk = FaultyDisk.over(root, seed).unforcedPages(true).tornWrites(true);
        Path dir = root.resolve("store");
        long lastAck = 0;
        long lastTry = 0;
        long savedA = 100;
        long triedA = 100;
        FileStore store = FileStore.at(dir, disk);
        try {
            DurableRef<Long> counter = Keepsake.ref(Long.class).store(store).key("counter").initial(0L).open();
            StateRegistry state = Keepsake.registry(store).key("state").open();
            DurableRef<Long> a = state.define("a", Long.class, 100L);
            DurableRef<Long> b = state.define("b", Long.class, 0L);
            for (int step = 0; step < cutAfter; step++) {
                lastTry = lastAck + 1;
                lastAck = counter.updateAndGet(x -> x + 1);
                long amount = step % 3 + 1;
                state.transact(() -> {
                    a.updateAndGet(x -> x - amount);
                    b.updateAndGet(x -> x + amount);
                });
                triedA = a.get();
                state.saveAll();
                savedA = triedA;
            }
            lastTry = lastAck + 1; // the update in flight when the power goes
            Thread updater = Thread.ofPlatform().start(() -> {
                try {
                    counter.updateAndGet(x -> x + 1);
                } catch (RuntimeException e) {
                    // power is off
                }
            });
            disk.powerLoss();
            updater.join();
        } finally {
            try {
                store.close();
            } catch (RuntimeException ignored) {
                // the disk is off on purpose
            }
        }
        String context = "seed " + seed + ", cut after " + cutAfter + ", last ack " + lastAck;
        try (FileStore reopened = FileStore.at(dir, FaultyDisk.over(root, seed));
             DurableRef<Long> counter = Keepsake.ref(Long.class).store(reopened).key("counter")
                     .initial(-1L).open();
             StateRegistry state = Keepsake.registry(reopened).key("state").open()) {
            long stored = counter.get();
            assertTrue(stored >= lastAck && stored <= lastTry, "counter " + stored + "; " + context);
            long recoveredA = state.define("a", Long.class, -1L).get();
            long recoveredB = state.define("b", Long.class, -1L).get();
            assertEquals(100L, recoveredA + recoveredB, "a torn registry save; " + context);
            assertEquals(savedA, recoveredA, "the last acknowledged save was lost; " + context);
        }
    }

    @Test
    void aFailedForceIsNotAcknowledgedAndTheValueStaysAsItWas() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("force"));
        FaultyDisk disk = FaultyDisk.over(root, 7);
        Path dir = root.resolve("store");
        try (FileStore store = FileStore.at(dir, disk);
             DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L).open()) {
            ref.set(1L);
            disk.failOnce(DiskOp.FORCE, 1);
            assertThrows(StorageException.class, () -> ref.set(2L));
            assertEquals(1L, ref.get());
            ref.set(3L);
            // updates of an existing key force only its file; the first write of a key also forces the directory
            try (DurableRef<Long> fresh = Keepsake.ref(Long.class).store(store).key("k2").initial(0L).open()) {
                disk.failOnce(DiskOp.FORCE_DIRECTORY, 1);
                assertThrows(StorageException.class, () -> fresh.set(4L));
                assertEquals(0L, fresh.get());
            }
            assertEquals(3L, ref.get());
            assertThrows(FailStopException.class, () -> ref.set(5L), "the store refuses writes until reopened");
            assertEquals(3L, ref.get());
        }
        try (FileStore reopened = FileStore.at(dir, FaultyDisk.over(root, 8));
             DurableRef<Long> ref = Keepsake.ref(Long.class).store(reopened).key("k").initial(-1L).open();
             DurableRef<Long> fresh = Keepsake.ref(Long.class).store(reopened).key("k2").initial(0L).open()) {
            assertEquals(3L, ref.get(), "the acknowledged value");
            long stored = fresh.get();
            assertTrue(stored == 0L || stored == 4L, "stored " + stored + ": neither nothing nor the value whose"
                    + " directory force failed");
            assertEquals(4L, ref.updateAndGet(x -> x + 1), "after reopening, writes work again");
        }
    }
}
