package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.WorkerStatus;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots from a shadow model ({@link PrevalentBuilder#shadowSnapshots(boolean)}): the same state as a snapshot
 * taken with the lock at the same sequence, written without the live model's lock, reopened to the live state, and
 * failures shown in the snapshot status.
 */
class ShadowSnapshotTest {
    @TempDir
    Path dir;

    private static Prevalent<Bank> open(Path where, boolean shadow) {
        return Keepsake.prevalent(Bank::new).directory(where).register(Bank.EVENTS)
                .clock(new TestClock(Instant.parse("2026-01-01T00:00:00Z"))).shadowSnapshots(shadow).open();
    }

    /** The same commands on either system: deposits, an overdraft rejected by its check, times that advance. */
    private static void work(Prevalent<Bank> bank, int from, int to) {
        for (int i = from; i < to; i++) {
            bank.execute(new Bank.Deposit("acct-" + (i % 7), i));
            bank.execute(new Bank.Stamp("n" + i));
        }
        assertThrows(io.keepsake.RejectedException.class, () -> bank.execute(new Bank.Withdraw("nobody", 1)));
    }

    private static StateHash manifestHash(Path where, long seq) {
        try (Store store = io.keepsake.store.FileStore.at(where.resolve("snapshots"))) {
            byte[] m = store.get(Snapshots.manifestKey(seq)).orElseThrow().value();
            return StateHash.ofManifest(Snapshots.manifestKey(seq), m).orElseThrow();
        }
    }

    @Test
    void shadowSnapshotHoldsTheStateALockedSnapshotHoldsAtTheSameSequence() {
        Path shadowDir = dir.resolve("shadow");
        Path lockedDir = dir.resolve("locked");
        long seq;
        StateHash live;
        Bank liveState;
        try (Prevalent<Bank> shadow = open(shadowDir, true); Prevalent<Bank> locked = open(lockedDir, false)) {
            for (Prevalent<Bank> p : java.util.List.of(shadow, locked)) {
                work(p, 0, 40);
                assertEquals(p.lastSequence(), p.snapshot(), "the first snapshot (no base yet) is taken with the lock");
                work(p, 40, 100);
            }
            long capturesBefore = ((MutableEngine<Bank>) shadow).lastCaptureNanos();
            seq = shadow.snapshot();
            assertEquals(seq, locked.snapshot());
            assertEquals(capturesBefore, ((MutableEngine<Bank>) shadow).lastCaptureNanos(),
                    "a shadow snapshot never serializes the live model under its lock");
            live = shadow.stateHash();
            liveState = shadow.query(b -> b);
            assertEquals(live, locked.stateHash());
            WorkerStatus status = shadow.snapshotStatus();
            assertEquals(seq, status.lastSequence());
        }
        assertEquals(live, manifestHash(shadowDir, seq), "shadow snapshot = live state at its sequence");
        assertEquals(manifestHash(lockedDir, seq), manifestHash(shadowDir, seq), "shadow = locked snapshot");
        try (Prevalent<Bank> reopened = open(shadowDir, true)) {
            assertEquals(liveState, reopened.query(b -> b));
            assertEquals(live, reopened.stateHash());
        }
    }

    @Test
    @Timeout(60)
    void shadowSnapshotCompletesWhileAQueryHoldsTheModel() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2); // not the common pool: it may have one thread
        try (Prevalent<Bank> bank = open(dir, true)) {
            work(bank, 0, 10);
            bank.snapshot();
            work(bank, 10, 20);
            CountDownLatch inQuery = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> query = CompletableFuture.supplyAsync(() -> bank.query(b -> {
                inQuery.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return b.commands;
            }), threads);
            assertTrue(inQuery.await(30, TimeUnit.SECONDS));
            try {
                long seq = CompletableFuture.supplyAsync(bank::snapshot, threads).get(30, TimeUnit.SECONDS);
                assertEquals(bank.lastSequence(), seq, "written while the model's lock was held by a query");
            } finally {
                release.countDown();
            }
            assertEquals(20, query.get(30, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aShadowThatCannotBeBuiltFallsBackToALockedSnapshotSoSnapshotsNeverStop() {
        Store store = Store.memory();
        MemoryJournal journal = new MemoryJournal();
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(store)
                .register(Bank.EVENTS).shadowSnapshots(true).open()) {
            work(bank, 0, 5);
            long base = bank.snapshot();
            work(bank, 5, 10);
            assertTrue(store.delete(Snapshots.chunkKey(base, 0), Expected.any()), "damage the shadow's base");
            long fallback = bank.snapshot();
            assertEquals(bank.lastSequence(), fallback, "taken from the live model under its lock");
            assertTrue(fallback > base);
            assertTrue(store.get(Snapshots.manifestKey(fallback)).isPresent(), "published");
            WorkerStatus status = bank.snapshotStatus();
            assertEquals(0, status.consecutiveFailures());
            assertEquals(fallback, status.lastSequence());
            work(bank, 10, 15);
            long capturesBefore = ((MutableEngine<Bank>) bank).lastCaptureNanos();
            long next = bank.snapshot();
            assertEquals(bank.lastSequence(), next);
            assertEquals(capturesBefore, ((MutableEngine<Bank>) bank).lastCaptureNanos(),
                    "the next snapshot is a shadow again, built from the fallback snapshot");
        }
    }

    @Test
    void automaticShadowSnapshotsKeepUpAndReopenToTheLiveState() {
        Bank liveState;
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS)
                .shadowSnapshots(true).snapshotEvery(25).open()) {
            bank.execute(new Bank.Deposit("a", 1));
            bank.snapshot();
            work(bank, 0, 100);
            bank.snapshot();
            liveState = bank.query(b -> b);
            assertEquals(0, bank.snapshotStatus().consecutiveFailures());
        }
        try (Prevalent<Bank> reopened = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS)
                .open()) {
            assertEquals(liveState, reopened.query(b -> b));
        }
    }
}
