package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ConflictException;
import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.prevalent.Command;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.StateRegistry;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each capability of Keepsake over one {@link Store} backend, end to end: a {@link DurableRef}, a
 * {@link StateRegistry} and a {@link Prevalent} whose snapshots live in the backend. A backend's test subclasses
 * this and implements {@link #createStore()} (and {@link #reopen(Store)} when its data outlives the instance):
 *
 * <pre>{@code
 * class MyIntegrationTest extends BackendIntegrationContract {
 *     protected Store createStore() { return MyStore.open(freshNamespace()); }   // empty for every test
 *     protected Store reopen(Store old) { old.close(); return MyStore.open(sameNamespace()); }
 * }
 * }</pre>
 *
 * <p>A {@link Prevalent} leaves a snapshot store passed to its builder open (its owner closes it);
 * {@link #reopen(Store)} is then given that store, may close it, and must return an instance over the same data. A
 * backend whose data does not outlive its instance (memory) must make {@link #createStore()} return a store whose
 * close keeps the data.
 */
public abstract class BackendIntegrationContract {
    /** A scratch directory for the test: the prevalent journal lives under it; subclasses may use it too. */
    @TempDir
    protected Path tmp;

    private final List<AutoCloseable> opened = new ArrayList<>(); // touched only by the JUnit thread

    /**
     * @return a new, empty store; called once at the start of each test
     * @throws Exception if the backend cannot be reached
     */
    protected abstract Store createStore() throws Exception;

    /**
     * Returns a store over the same data as {@code store}, as a new process would see it; {@code store} may be
     * closed already. The default returns the same instance.
     *
     * @throws Exception if the backend cannot be reached
     */
    protected Store reopen(Store store) throws Exception {
        return store;
    }

    @Test
    void durableRefSurvivesReopenAndAStaleWriterConflicts() throws Exception {
        Store store = track(createStore());
        DurableRef<Long> counter = longRef(store, "counter");
        counter.set(5L);
        assertEquals(6L, counter.updateAndGet(x -> x + 1));
        counter.close();

        Store again = track(reopen(store));
        DurableRef<Long> restored = longRef(again, "counter");
        assertEquals(6L, restored.get(), "the value written before close is read back by a new store instance");

        DurableRef<Long> stale = longRef(again, "counter");
        assertEquals(7L, restored.updateAndGet(x -> x + 1));
        ConflictException e = assertThrows(ConflictException.class, () -> stale.set(100L));
        assertEquals("counter", e.key());
        assertEquals(7L, stale.get(), "after the conflict the stale ref holds the stored value");
        assertEquals(7L, longRef(again, "counter").get(), "the stale write changed nothing");
    }

    @Test
    void stateRegistryRestoresEverySavedValueAfterReopen() throws Exception {
        Store store = track(createStore());
        StateRegistry state = track(Keepsake.registry(store).key("app-state").open());
        DurableRef<Long> visits = state.define("visits", Long.class, 0L);
        DurableRef<String> motd = state.define("motd", String.class, "hello");
        state.transact(() -> {
            visits.set(3L);
            motd.set("busy");
        });
        state.saveAll();
        visits.set(99L);
        state.reloadAll();
        assertEquals(3L, visits.get(), "reloadAll reverts to the last save");
        visits.set(4L); // never saved
        state.close();

        Store again = track(reopen(store));
        StateRegistry restored = track(Keepsake.registry(again).key("app-state").open());
        DurableRef<Long> visitsAgain = restored.define("visits", Long.class, 0L);
        DurableRef<String> motdAgain = restored.define("motd", String.class, "hello");
        assertEquals(3L, visitsAgain.get());
        assertEquals("busy", motdAgain.get());
        motdAgain.set("quiet");
        restored.reloadAll();
        assertEquals("busy", motdAgain.get());
        visitsAgain.set(10L);
        restored.saveAll();
        restored.close();

        StateRegistry third = track(Keepsake.registry(track(reopen(again))).key("app-state").open());
        assertEquals(10L, third.define("visits", Long.class, 0L).get());
    }

    @Test
    void prevalentSnapshotsInTheBackendRestoreTheStateAfterTheJournalIsPruned() throws Exception {
        Store store = createStore(); // the prevalent system leaves it open; reopen(store) closes or returns it
        Path data = tmp.resolve("prevalent");
        Map<String, String> expected;
        long snapshotSequence;
        try (Prevalent<Notes> notes = notes(data, store)) {
            for (int i = 0; i < 120; i++) {
                notes.execute(new Notes.Put("note-" + i, "x".repeat(60) + i));
            }
            snapshotSequence = notes.snapshot();
            assertEquals(120L, snapshotSequence);
            notes.execute(new Notes.Put("after-snapshot", "replayed from the journal"));
            expected = notes.query(n -> new TreeMap<>(n.entries));
        }

        Store again = track(reopen(store));
        String dir = String.format("snap-%020d/", snapshotSequence);
        List<String> keys = again.list(dir);
        assertTrue(keys.contains(dir + "manifest"), "the snapshot's manifest is in the backend: " + keys);
        long chunks = keys.stream().filter(k -> k.startsWith(dir + "chunk-")).count();
        assertTrue(chunks > 1, "a snapshot bigger than the chunk size spans chunks: " + keys);

        try (Prevalent<Notes> notes = notes(data, again)) {
            assertEquals(expected, notes.query(n -> new TreeMap<>(n.entries)));
            assertEquals(121L, notes.lastSequence());
        }
        // The journal before the snapshot was pruned, so the state could only have come from the backend.
        assertThrows(CorruptionException.class, () -> notes(data, Store.memory()).close());
    }

    private Prevalent<Notes> notes(Path data, Store snapshots) {
        PrevalentBuilder<Notes> builder = Keepsake.prevalent(Notes::new)
                .directory(data)
                .snapshotStore(snapshots)
                .segmentSize(4096)
                .snapshotChunkSize(1024)
                .keepSnapshots(1)
                .register(Notes.Put.class);
        return builder.open();
    }

    private DurableRef<Long> longRef(Store store, String key) {
        return track(Keepsake.ref(Long.class).store(store).key(key).initial(0L).mode(WriteMode.SYNC).open());
    }

    private <C extends AutoCloseable> C track(C c) {
        opened.add(c);
        return c;
    }

    @AfterEach
    final void closeAll() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
    }

    /** The prevalent model of the test: notes by name. Public for the codec. */
    public static final class Notes {
        /** The notes; a sorted map so that snapshots are deterministic. */
        public Map<String, String> entries = new TreeMap<>();

        /**
         * Sets a note.
         *
         * @param name the note's name
         * @param text its text
         */
        public record Put(String name, String text) implements Command<Notes, Integer> {
            @Override
            public Integer execute(Notes notes, Instant time) {
                notes.entries.put(name, text);
                return notes.entries.size();
            }
        }
    }
}
