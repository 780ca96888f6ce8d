package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The {@link RefModeContract} in {@link WriteMode#SYNC}, and what only SYNC promises: durable before return. */
abstract class SyncRefContract extends RefModeContract {

    @Override
    protected final WriteMode mode() {
        return WriteMode.SYNC;
    }

    @Test
    void syncSetIsStoredBeforeItReturns() {
        DurableRef<Long> ref = longRef("k", 0);
        ref.set(7L);
        assertTrue(store.get("k").isPresent());
        assertEquals(7L, storedLong(store, "k"));
    }

    @Test
    void secondWriterGetsAConflictNamingTheKeyAndNothingIsOverwritten() {
        DurableRef<Long> first = longRef("shared", 0);
        DurableRef<Long> second = longRef("shared", 0);
        first.set(1L);
        ConflictException e = assertThrows(ConflictException.class, () -> second.set(2L));
        assertEquals("shared", e.key());
        assertTrue(e.getMessage().contains("shared"), e.getMessage());
        assertEquals(1L, storedLong(store, "shared"));
        assertEquals(1L, second.get(), "after a conflict the ref holds the stored value");
    }

    @Test
    void durableRefSurvivesReopenAndAStaleWriterConflicts() throws Exception {
        DurableRef<Long> counter = longRef("counter", 0);
        counter.set(5L);
        assertEquals(6L, counter.updateAndGet(x -> x + 1));
        counter.close();

        reopenStore();
        DurableRef<Long> restored = longRef("counter", 0);
        assertEquals(6L, restored.get(), "the value written before close is read back by a new store instance");
        DurableRef<Long> stale = longRef("counter", 0);
        assertEquals(7L, restored.updateAndGet(x -> x + 1));
        ConflictException e = assertThrows(ConflictException.class, () -> stale.set(100L));
        assertEquals("counter", e.key());
        assertEquals(7L, stale.get(), "after the conflict the stale ref holds the stored value");
        assertEquals(7L, storedLong(store, "counter"), "the stale write changed nothing");
    }

    @Test
    void updatesThroughTwoRefsOnOneKeyAreNeverLost() throws Exception {
        DurableRef<Long> a = longRef("shared", 0);
        DurableRef<Long> b = longRef("shared", 0);
        int perThread = 25;
        List<Thread> threads = new ArrayList<>();
        for (DurableRef<Long> ref : List.of(a, b, a, b)) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    ref.updateAndGet(x -> x + 1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(4L * perThread, storedLong(store, "shared"));
    }

    @Test
    void refsThroughTwoStoreInstancesOnOneDataNeverLoseAnUpdate() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Store other = track(sameData(store));
        for (Store s : List.of(store, other)) {
            DurableRef<Long> ref = longRef(s, "shared", 0, WriteMode.SYNC);
            for (int t = 0; t < 2; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 20; i++) {
                            ref.updateAndGet(x -> x + 1);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(80L, storedLong(store, "shared"));
    }

    @Test
    void watchesFireOnlyAfterThePutReturned() {
        RecordingStore recording = new RecordingStore(store);
        DurableRef<Long> ref = longRef(recording, "k", 0, WriteMode.SYNC);
        ref.addWatch((o, n) -> recording.note("watch " + o + "->" + n));
        ref.set(1L);
        ref.updateAndGet(x -> x + 1);
        assertEquals(List.of("put-begin k", "put-end k", "watch 0->1", "put-begin k", "put-end k", "watch 1->2"),
                recording.events());
    }

    @Test
    void aFailedPutLeavesTheValueAsItWasAndFiresNoWatch() {
        FailingStore failing = new FailingStore(store);
        List<Long> seen = new CopyOnWriteArrayList<>();
        DurableRef<Long> ref = longRef(failing, "k", 0, WriteMode.SYNC);
        ref.addWatch((o, n) -> seen.add(n));
        ref.set(1L);
        failing.failing(true);
        assertThrows(StorageException.class, () -> ref.updateAndGet(x -> x + 1));
        assertEquals(1L, ref.get());
        assertEquals(1L, storedLong(store, "k"));
        failing.failing(false);
        assertEquals(2L, ref.updateAndGet(x -> x + 1));
        assertEquals(List.of(1L, 2L), seen);
    }

    @Test
    void aSyncRefWhoseReplyWasLostRereadsAndGoesOn() {
        FailingStore failing = new FailingStore(store);
        DurableRef<Long> ref = longRef(failing, "k", 0, WriteMode.SYNC);
        ref.set(1L);
        failing.loseReplies(true);
        assertThrows(StorageException.class, () -> ref.updateAndGet(x -> x + 1));
        assertEquals(1L, ref.get(), "a failed write leaves the in-memory value as it was");
        failing.loseReplies(false);
        assertEquals(3L, ref.updateAndGet(x -> x + 1), "the update re-reads the value the store did take");
        assertEquals(3L, storedLong(store, "k"));
    }
}
