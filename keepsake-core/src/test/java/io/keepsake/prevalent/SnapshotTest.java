package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.journal.Journal;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
    @TempDir
    Path dir;

    private PrevalentBuilder<Bank> builder() {
        return Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).segmentSize(4096)
                .snapshotChunkSize(1024);
    }

    private static void deposits(Prevalent<Bank> bank, int count) {
        for (int i = 0; i < count; i++) {
            bank.execute(new Bank.Deposit("account-with-a-longish-name-" + (i % 40), i));
        }
    }

    private List<Long> snapshotSequences() {
        try (Store store = FileStore.at(dir.resolve("snapshots"))) {
            return new Snapshots(store, null, 1024).sequences();
        }
    }

    private long journalFirst() {
        try (Journal journal = Journal.files(dir.resolve("journal")).open()) {
            return journal.firstSequence();
        }
    }

    /** Flips one byte in the middle of a stored value. */
    private void corrupt(String key) {
        try (Store store = FileStore.at(dir.resolve("snapshots"))) {
            byte[] v = store.get(key).orElseThrow().value().clone();
            v[v.length / 2] ^= 0x40;
            store.put(key, v, Expected.any());
        }
    }

    @Test
    void keepsTheNewestSnapshotsAndDeletesJournalOnlyBelowTheOldestKept() {
        Bank live;
        try (Prevalent<Bank> bank = builder().keepSnapshots(2).open()) {
            for (int round = 1; round <= 4; round++) {
                deposits(bank, 60);
                assertEquals(60L * round, bank.snapshot());
            }
            deposits(bank, 10);
            live = bank.query(b -> b);
        }
        assertEquals(List.of(240L, 180L), snapshotSequences());
        long first = journalFirst();
        assertTrue(first > 1, "old segments were deleted, journal starts at " + first);
        assertTrue(first <= 181, "history after the oldest kept snapshot must stay, journal starts at " + first);
        try (Prevalent<Bank> bank = builder().open()) {
            assertEquals(live, bank.query(b -> b));
            assertEquals(250, bank.lastSequence());
        }
    }

    @Test
    void snapshotOfALargeStateSpansManyChunksAndLoadsBack() {
        Bank live;
        try (Prevalent<Bank> bank = builder().open()) {
            for (int i = 0; i < 300; i++) {
                bank.execute(new Bank.Deposit("a-distinct-account-" + i, i));
            }
            bank.snapshot();
            live = bank.query(b -> b);
        }
        try (Store store = FileStore.at(dir.resolve("snapshots"))) {
            long chunks = store.list(Snapshots.dir(300)).stream().filter(k -> k.contains("chunk-")).count();
            assertTrue(chunks > 3, "expected several 1 KiB chunks, found " + chunks);
        }
        try (Prevalent<Bank> bank = builder().open()) {
            assertEquals(live, bank.query(b -> b));
        }
    }

    @Test
    void corruptChunkOfTheNewestSnapshotFallsBackToThePreviousOneAndALongerReplay() {
        Bank live = twoSnapshotsThenMore();
        corrupt(Snapshots.chunkKey(100, 1));
        try (Prevalent<Bank> bank = builder().open()) {
            assertEquals(live, bank.query(b -> b));
        }
    }

    @Test
    void corruptManifestOfTheNewestSnapshotFallsBackToThePreviousOne() {
        Bank live = twoSnapshotsThenMore();
        corrupt(Snapshots.manifestKey(100));
        try (Prevalent<Bank> bank = builder().open()) {
            assertEquals(live, bank.query(b -> b));
        }
    }

    @Test
    void missingChunkOfTheNewestSnapshotFallsBackToThePreviousOne() {
        Bank live = twoSnapshotsThenMore();
        try (Store store = FileStore.at(dir.resolve("snapshots"))) {
            assertTrue(store.delete(Snapshots.chunkKey(100, 0), Expected.any()));
        }
        try (Prevalent<Bank> bank = builder().open()) {
            assertEquals(live, bank.query(b -> b));
        }
    }

    @Test
    void everySnapshotCorruptAndJournalTrimmedIsATypedError() {
        twoSnapshotsThenMore();
        corrupt(Snapshots.chunkKey(100, 0));
        corrupt(Snapshots.chunkKey(50, 0));
        assertTrue(journalFirst() > 1);
        CorruptionException e = assertThrows(CorruptionException.class, () -> builder().open());
        assertTrue(e.getMessage().contains("no intact snapshot"), e.getMessage());
    }

    private Bank twoSnapshotsThenMore() {
        try (Prevalent<Bank> bank = builder().open()) {
            deposits(bank, 50);
            bank.snapshot();
            deposits(bank, 50);
            bank.snapshot();
            deposits(bank, 5);
            return bank.query(b -> b);
        }
    }

    @Test
    void snapshotEveryNEventsRunsInTheBackground() throws InterruptedException {
        try (Prevalent<Bank> bank = builder().snapshotEvery(20).open()) {
            deposits(bank, 45);
            waitFor(() -> !snapshotSequences().isEmpty());
        }
        long newest = snapshotSequences().get(0);
        assertTrue(newest >= 20 && newest <= 45, "newest snapshot " + newest);
    }

    /** Counts snapshot manifests written: a rewrite of the same snapshot keeps its key, so only puts show it. */
    private static long manifestPuts(RecordingStore store) {
        return store.puts.stream().filter(k -> k.endsWith("/manifest")).count();
    }

    @Test
    void snapshotIntervalRunsInTheBackgroundOnlyWhenSomethingChanged() throws InterruptedException {
        RecordingStore store = new RecordingStore(Store.memory());
        try (Prevalent<Bank> bank = builder().snapshotStore(store).snapshotInterval(Duration.ofMillis(20)).open()) {
            deposits(bank, 3);
            waitFor(() -> store.puts.contains(Snapshots.manifestKey(3)));
            long written = manifestPuts(store);
            Thread.sleep(100); // several more intervals pass with nothing new: none may write a snapshot
            assertEquals(written, manifestPuts(store), "snapshots written: " + store.puts);
            deposits(bank, 1);
            waitFor(() -> store.puts.contains(Snapshots.manifestKey(4)));
        }
        assertEquals(1, store.puts.stream().filter(k -> k.equals(Snapshots.manifestKey(3))).count(),
                "snapshot 3 was written once: " + store.puts);
    }

    @Test
    void snapshotWithNothingNewIsANoOp() {
        RecordingStore store = new RecordingStore(Store.memory());
        try (Prevalent<Bank> bank = builder().snapshotStore(store).open()) {
            assertEquals(0, bank.snapshot());
            assertEquals(List.of(), store.puts, "nothing to snapshot before the first event");
            deposits(bank, 2);
            assertEquals(2, bank.snapshot());
            int written = store.puts.size();
            assertEquals(2, bank.snapshot());
            assertEquals(written, store.puts.size(), "the second snapshot() rewrote: " + store.puts);
        }
        assertEquals(1, manifestPuts(store));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
