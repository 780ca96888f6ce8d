package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Prevalent} system whose journal is a file journal in a scratch directory and whose snapshots live in
 * the store under test: a snapshot restores the state after the journal before it was pruned, and only the newest
 * {@code keepSnapshots} snapshots stay in the store. The system is handed a {@link ForwardingStore}, so whether or
 * not it closes its snapshot store, the store stays the test's.
 */
abstract class PrevalentSnapshotContract {
    /** The prevalent journal lives under it. */
    @TempDir
    Path tmp;

    /** The store under test, fresh and empty for each test. */
    protected Store store;

    /**
     * @return a new, empty store; called once before each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store createStore() throws Exception;

    /**
     * Returns a store over the same data as {@code store}, as a new process would see it, closing {@code store} if
     * it returns another instance.
     *
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store reopen(Store store) throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    final void closeStore() {
        store.close();
    }

    @Test
    void snapshotsInTheStoreRestoreTheStateAfterTheJournalIsPruned() throws Exception {
        Path data = tmp.resolve("prevalent");
        Map<String, String> expected;
        long snapshotSequence;
        try (Prevalent<NotesModel> notes = notes(data, store, 1)) {
            for (int i = 0; i < 120; i++) {
                notes.execute(new NotesModel.Put("note-" + i, "x".repeat(60) + i));
            }
            snapshotSequence = notes.snapshot();
            assertEquals(120L, snapshotSequence);
            notes.execute(new NotesModel.Put("after-snapshot", "replayed from the journal"));
            expected = notes.query(n -> new TreeMap<>(n.entries));
        }

        store = reopen(store);
        String dir = snapshotDir(snapshotSequence);
        List<String> keys = store.list(dir);
        assertTrue(keys.contains(dir + "manifest"), "the snapshot's manifest is in the store: " + keys);
        long chunks = keys.stream().filter(k -> k.startsWith(dir + "chunk-")).count();
        assertTrue(chunks > 1, "a snapshot bigger than the chunk size spans chunks: " + keys);

        try (Prevalent<NotesModel> notes = notes(data, store, 1)) {
            assertEquals(expected, notes.query(n -> new TreeMap<>(n.entries)));
            assertEquals(121L, notes.lastSequence());
        }
        // The journal before the snapshot was pruned, so the state could only have come from the store.
        assertThrows(CorruptionException.class, () -> notes(data, Store.memory(), 1).close());
    }

    @Test
    void onlyTheNewestSnapshotsStayInTheStoreAndTheNewestRestores() throws Exception {
        Path data = tmp.resolve("prevalent");
        Map<String, String> expected;
        long[] taken = new long[4];
        try (Prevalent<NotesModel> notes = notes(data, store, 2)) {
            for (int round = 0; round < taken.length; round++) {
                for (int i = 0; i < 30; i++) {
                    notes.execute(new NotesModel.Put("note-" + round + "-" + i, "round " + round));
                }
                taken[round] = notes.snapshot();
            }
            notes.execute(new NotesModel.Put("last", "after every snapshot"));
            expected = notes.query(n -> new TreeMap<>(n.entries));
        }
        store = reopen(store);
        List<String> manifests = store.list("").stream().filter(k -> k.endsWith("/manifest")).toList();
        assertEquals(List.of(snapshotDir(taken[2]) + "manifest", snapshotDir(taken[3]) + "manifest"), manifests,
                "keepSnapshots(2) keeps the two newest snapshots");
        assertTrue(store.list(snapshotDir(taken[0])).isEmpty(), "nothing of a pruned snapshot is left");
        assertTrue(store.list(snapshotDir(taken[1])).isEmpty(), "nothing of a pruned snapshot is left");
        try (Prevalent<NotesModel> notes = notes(data, store, 2)) {
            assertEquals(expected, notes.query(n -> new TreeMap<>(n.entries)));
            assertEquals(taken[3] + 1, notes.lastSequence());
        }
    }

    private static String snapshotDir(long sequence) {
        return String.format("snap-%020d/", sequence);
    }

    private static Prevalent<NotesModel> notes(Path data, Store snapshots, int keep) {
        return Keepsake.prevalent(NotesModel::new)
                .directory(data)
                .snapshotStore(new ForwardingStore(snapshots))
                .segmentSize(4096)
                .snapshotChunkSize(1024)
                .keepSnapshots(keep)
                .register(NotesModel.Put.class)
                .open();
    }
}
