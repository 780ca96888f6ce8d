package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CodecException;
import io.keepsake.ConflictException;
import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.ValidationException;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.StateRegistry;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a {@link StateRegistry} keeps over every store: changes persist only at {@code saveAll}, saves take a
 * consistent cut, transactions undo on failure, two registries on one key conflict instead of overwriting.
 */
abstract class RegistryContract extends RefContractSupport {

    @Test
    void stateRegistryRestoresEverySavedValueAfterReopen() throws Exception {
        StateRegistry state = registry(store, "app-state");
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

        reopenStore();
        StateRegistry restored = registry(store, "app-state");
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

        reopenStore();
        assertEquals(10L, registry(store, "app-state").define("visits", Long.class, 0L).get());
    }

    @Test
    void registryChangesPersistOnlyAtSaveAllAndAreRestoredByDefine() throws Exception {
        StateRegistry state = registry(store, "app");
        DurableRef<Long> visits = state.define("visits", Long.class, 0L);
        DurableRef<String> motd = state.define("motd", String.class, "hello");
        assertEquals(WriteMode.ON_SAVE, visits.mode());
        visits.set(5L);
        motd.set("busy");
        assertTrue(store.get("app").isEmpty(), "nothing is written before saveAll");
        state.saveAll();
        visits.set(6L);
        state.close();
        reopenStore();
        StateRegistry again = registry(store, "app");
        assertEquals(5L, again.define("visits", Long.class, 0L).get());
        assertEquals("busy", again.define("motd", String.class, "x").get());
        assertEquals(7L, again.define("fresh", Long.class, 7L).get(), "a name never saved takes its default");
    }

    @Test
    void saveAllIsOnePutOfEveryValue() {
        RecordingStore recording = new RecordingStore(store);
        StateRegistry state = registry(recording, "app");
        for (int i = 0; i < 5; i++) {
            state.define("v" + i, Long.class, (long) i);
        }
        state.saveAll();
        assertEquals(List.of("put-begin app", "put-end app"), recording.events());
    }

    @Test
    void savesTakeAConsistentCutWhileTransactionsRun() throws Exception {
        StateRegistry state = registry(store, "bank");
        DurableRef<Long> a = state.define("a", Long.class, 100L);
        DurableRef<Long> b = state.define("b", Long.class, 0L);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> movers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            movers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    long amount = i % 2 == 0 ? 1 : -1;
                    state.transact(() -> {
                        a.updateAndGet(x -> x - amount);
                        b.updateAndGet(x -> x + amount);
                    });
                }
            }));
        }
        try {
            for (int save = 0; save < 20; save++) {
                state.saveAll();
                StateRegistry reader = Keepsake.registry(store).key("bank").open();
                long sum = reader.define("a", Long.class, -1L).get() + reader.define("b", Long.class, -1L).get();
                reader.close();
                assertEquals(100L, sum, "save " + save + " holds half a transaction");
            }
        } finally {
            stop.set(true);
            for (Thread t : movers) {
                t.join();
            }
        }
        assertEquals(100L, a.get() + b.get());
    }

    @Test
    void aTransactionThatThrowsIsUndoneAndFiresNoWatch() {
        StateRegistry state = registry(store, "app");
        DurableRef<Long> a = state.define("a", Long.class, 1L);
        DurableRef<Long> b = state.define("b", Long.class, 2L);
        List<Long> seen = new CopyOnWriteArrayList<>();
        a.addWatch((o, n) -> seen.add(n));
        assertThrows(IllegalStateException.class, () -> state.transact(() -> {
            a.set(10L);
            b.set(20L);
            throw new IllegalStateException("changed my mind");
        }));
        assertEquals(1L, a.get());
        assertEquals(2L, b.get());
        assertEquals(List.of(), seen);
        state.transact(() -> a.set(11L));
        assertEquals(List.of(11L), seen, "watches fire once the transaction completes");
    }

    @Test
    void reloadAllRevertsEveryRefToTheLastSave() {
        StateRegistry state = registry(store, "app");
        DurableRef<Long> a = state.define("a", Long.class, 1L);
        DurableRef<String> b = state.define("b", String.class, "one");
        state.saveAll();
        a.set(2L);
        b.set("two");
        state.reloadAll();
        assertEquals(1L, a.get());
        assertEquals("one", b.get());
    }

    @Test
    void reloadAllFailsAndChangesNothingWhenSomeRefWasNeverSaved() {
        StateRegistry state = registry(store, "app");
        DurableRef<Long> a = state.define("a", Long.class, 1L);
        state.saveAll();
        a.set(2L);
        DurableRef<Long> late = state.define("late", Long.class, 5L);
        late.set(6L);
        KeepsakeException e = assertThrows(KeepsakeException.class, state::reloadAll);
        assertTrue(e.getMessage().contains("late"), e.getMessage());
        assertEquals(2L, a.get());
        assertEquals(6L, late.get());
    }

    @Test
    void savedValuesThisRunDidNotDefineAreCarriedOver() {
        StateRegistry first = registry(store, "app");
        first.define("kept", Long.class, 1L).set(42L);
        first.define("other", Long.class, 0L);
        first.saveAll();
        first.close();
        StateRegistry second = registry(store, "app");
        second.define("other", Long.class, 0L).set(9L);
        second.saveAll();
        second.close();
        StateRegistry third = registry(store, "app");
        assertEquals(42L, third.define("kept", Long.class, 0L).get());
        assertEquals(9L, third.define("other", Long.class, 0L).get());
    }

    @Test
    void aDestroyedRefIsLeftOutOfTheNextSave() {
        StateRegistry state = registry(store, "app");
        DurableRef<Long> gone = state.define("gone", Long.class, 1L);
        gone.set(2L);
        state.saveAll();
        gone.destroy();
        assertClosed(() -> gone.set(3L));
        state.saveAll();
        StateRegistry again = registry(store, "app");
        assertEquals(7L, again.define("gone", Long.class, 7L).get());
    }

    @Test
    void twoRegistriesSavingOneKeyConflictInsteadOfOverwriting() {
        StateRegistry first = registry(store, "app");
        StateRegistry second = registry(store, "app");
        first.define("a", Long.class, 1L);
        second.define("a", Long.class, 2L);
        first.saveAll();
        ConflictException e = assertThrows(ConflictException.class, second::saveAll);
        assertEquals("app", e.key());
        assertEquals(1L, registry(store, "app").define("a", Long.class, 0L).get());
    }

    @Test
    void aSaveWhoseReplyWasLostDoesNotMakeEveryLaterSaveConflict() {
        FailingStore failing = new FailingStore(store);
        StateRegistry state = registry(failing, "app");
        DurableRef<Long> a = state.define("a", Long.class, 1L);
        state.saveAll();
        a.set(2L);
        failing.loseReplies(true);
        assertThrows(StorageException.class, state::saveAll);
        failing.loseReplies(false);
        a.set(3L);
        state.saveAll();
        assertEquals(3L, registry(store, "app").define("a", Long.class, 0L).get());
    }

    @Test
    void registryValidatorAndCodecRejectBeforeAnythingChanges() {
        StateRegistry state = registry(store, "app");
        DurableRef<Long> positive = state.define("p", Long.class, 1L, x -> x > 0);
        assertThrows(ValidationException.class, () -> positive.set(-1L));
        assertEquals(1L, positive.get());
        DurableRef<Object> any = state.define("any", Object.class, "start");
        assertThrows(CodecException.class, () -> any.set(new Object()));
        assertEquals("start", any.get());
        state.saveAll();
        assertThrows(IllegalArgumentException.class, () -> state.define("p", Long.class, 1L));
    }

    @Test
    void aCorruptSaveIsAClearErrorOnOpen() {
        StateRegistry state = registry(store, "app");
        state.define("a", Long.class, 1L);
        state.saveAll();
        byte[] bytes = store.get("app").map(Blob::value).orElseThrow().clone();
        bytes[bytes.length - 2] ^= 0x01;
        store.put("app", bytes, Expected.any());
        assertThrows(CorruptionException.class, () -> Keepsake.registry(store).key("app").open());
    }
}
