package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CodecException;
import io.keepsake.ConflictException;
import io.keepsake.CorruptionException;
import io.keepsake.FailStopException;
import io.keepsake.ClosedException;
import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.ValidationException;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The contract {@link DurableRef} and {@link io.keepsake.ref.StateRegistry} keep over every {@link Store} backend.
 * A backend's test subclasses this and implements only {@link #createStore()} (and {@link #reopen(Store)} when its
 * data outlives the instance):
 *
 * <pre>{@code
 * class PostgresRefTest extends RefContract {
 *     protected Store createStore() { return PostgresStore.create(dataSource, freshTable()); }
 * }
 * }</pre>
 *
 * <p>This class holds the ref tests (SYNC and COALESCING); {@link RefContractRegistry} the registry tests.
 */
public abstract class RefContract extends RefContractRegistry {

    @Test
    void initialValueIsUsedOnlyWhenTheStoreHasNothing() throws Exception {
        DurableRef<Long> ref = longRef("counter", 1);
        assertEquals(1L, ref.get());
        assertTrue(store.get("counter").isEmpty(), "the initial value is not written until the first change");
        ref.set(5L);
        reopenStore();
        assertEquals(5L, longRef("counter", 99).get());
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
    void concurrentIncrementsAreAllCountedAndSurviveReopen() throws Exception {
        DurableRef<Long> ref = longRef("counter", 0);
        int threads = 4;
        int perThread = 40;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    ref.updateAndGet(x -> x + 1);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertEquals((long) threads * perThread, ref.get());
        ref.close();
        reopenStore();
        assertEquals((long) threads * perThread, storedLong(store, "counter"));
    }

    @Test
    void compareAndSetReplacesOnlyTheExpectedValue() {
        DurableRef<Long> ref = longRef("k", 3);
        assertFalse(ref.compareAndSet(4L, 10L));
        assertEquals(3L, ref.get());
        assertTrue(ref.compareAndSet(3L, 10L));
        assertEquals(10L, storedLong(store, "k"));
    }

    @Test
    void getAndUpdateReturnsTheOldValueAndStoresTheNew() {
        DurableRef<Long> ref = longRef("k", 3);
        assertEquals(3L, ref.getAndUpdate(x -> x * 2));
        assertEquals(6L, ref.get());
        assertEquals(6L, storedLong(store, "k"));
    }

    @Test
    void validatorRejectionWritesNothingAndFiresNoWatch() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        DurableRef<Long> ref = track(Keepsake.ref(Long.class).store(store).key("k").initial(1L)
                .validator(x -> x >= 0).watch((o, n) -> seen.add(n)).open());
        ref.set(2L);
        ValidationException e = assertThrows(ValidationException.class, () -> ref.updateAndGet(x -> -x));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
        assertEquals(2L, ref.get());
        assertEquals(2L, storedLong(store, "k"));
        assertEquals(List.of(2L), seen);
    }

    @Test
    void aValueThatCannotBeEncodedIsACodecErrorAndChangesNothing() {
        DurableRef<Object> ref = track(Keepsake.ref(Object.class).store(store).key("k").initial("start")
                .open());
        ref.set("kept");
        assertThrows(CodecException.class, () -> ref.set(new Object()));
        assertEquals("kept", ref.get());
        try (DurableRef<Object> fresh = Keepsake.ref(Object.class).store(store).key("k").initial("x")
                .open()) {
            assertEquals("kept", fresh.get());
        }
    }

    @Test
    void aCorruptStoredValueIsAClearErrorNeverTheInitialValue() {
        longRef("k", 0).set(42L);
        byte[] bytes = store.get("k").map(Blob::value).orElseThrow().clone();
        bytes[bytes.length - 1] ^= 0x10;
        store.put("k", bytes, Expected.any());
        assertThrows(CorruptionException.class, () -> longRef("k", 0));
        store.put("k", "not a keepsake value".getBytes(), Expected.any());
        KeepsakeException e = assertThrows(KeepsakeException.class, () -> longRef("k", 0));
        boolean namesKey = e instanceof CorruptionException c ? c.file().equals("k") : e.getMessage().contains("'k'");
        assertTrue(namesKey, e.getMessage());
    }

    @Test
    void aStoredValueOfAnotherTypeIsACodecError() {
        track(Keepsake.ref(String.class).store(store).key("k").initial("a").open()).set("text");
        assertThrows(CodecException.class, () -> longRef("k", 0));
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
    void destroyDeletesTheStoredValueAndLaterCallsThrow() {
        DurableRef<Long> ref = longRef("k", 0);
        ref.set(3L);
        ref.destroy();
        assertTrue(store.get("k").isEmpty());
        assertThrows(ClosedException.class, () -> ref.set(4L));
        assertThrows(ClosedException.class, ref::get);
        ref.close();
        assertTrue(store.get("k").isEmpty());
    }

    @Test
    void closeIsIdempotentAndLaterChangesThrow() {
        DurableRef<Long> ref = longRef("k", 0);
        ref.set(1L);
        ref.close();
        ref.close();
        assertThrows(ClosedException.class, () -> ref.set(2L));
        assertEquals(1L, storedLong(store, "k"));
    }

    @Test
    void coalescingFlushStoresTheLatestValue() {
        DurableRef<Long> ref = longRef(store, "k", 0, WriteMode.COALESCING);
        for (int i = 0; i < 5_000; i++) {
            ref.updateAndGet(x -> x + 1);
        }
        ref.flush();
        assertEquals(5_000L, storedLong(store, "k"));
    }

    @Test
    void coalescingWatchesFireAfterThePutAndEndAtTheLatestValue() {
        RecordingStore recording = new RecordingStore(store);
        AtomicReference<Long> last = new AtomicReference<>();
        DurableRef<Long> ref = longRef(recording, "k", 0, WriteMode.COALESCING);
        ref.addWatch((o, n) -> {
            recording.note("watch");
            last.set(n);
        });
        for (int i = 0; i < 1_000; i++) {
            ref.updateAndGet(x -> x + 1);
        }
        ref.flush();
        assertEquals(1_000L, last.get());
        List<String> events = recording.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).equals("watch")) {
                assertEquals("put-end k", events.get(i - 1), "a watch fired before its put returned: " + events);
            }
        }
    }

    @Test
    void coalescingFailedWriteMakesFlushAndTheNextChangeThrowAndTellsTheListener() {
        FailingStore failing = new FailingStore(store);
        List<KeepsakeException> told = new CopyOnWriteArrayList<>();
        DurableRef<Long> ref = track(Keepsake.ref(Long.class).store(failing).key("k").initial(0L)
                .mode(WriteMode.COALESCING).onWriteFailure(told::add).open());
        ref.set(1L);
        ref.flush();
        failing.failing(true);
        ref.set(2L);
        FailStopException e = assertThrows(FailStopException.class, ref::flush);
        assertInstanceOf(StorageException.class, e.getCause());
        assertThrows(FailStopException.class, () -> ref.set(3L));
        assertEquals(1, told.size());
        assertEquals(1L, storedLong(store, "k"));
        failing.failing(false);
        assertThrows(FailStopException.class, () -> ref.set(4L), "a failed ref stays failed until reopened");
        assertThrows(FailStopException.class, ref::close);
    }

    @Test
    void coalescingEncodingFailuresAreNeverSilent() {
        List<KeepsakeException> told = new CopyOnWriteArrayList<>();
        DurableRef<Object> ref = track(Keepsake.ref(Object.class).store(store).key("k").initial("start")
                .mode(WriteMode.COALESCING).onWriteFailure(told::add).open());
        assertThrows(CodecException.class, () -> ref.set(new Object()), "an unencodable type fails at once");
        assertEquals("start", ref.get());
        ref.set(List.of("fine"));
        ref.flush();
        ref.set(List.of("deep", new Object()));
        FailStopException e = assertThrows(FailStopException.class, ref::flush);
        assertInstanceOf(CodecException.class, e.getCause());
        assertEquals(1, told.size());
        try (DurableRef<Object> fresh = Keepsake.ref(Object.class).store(store).key("k").initial("x")
                .open()) {
            assertEquals(List.of("fine"), fresh.get());
        }
    }

    @Test
    void coalescingWatchThatFlushesGetsAnErrorInsteadOfAHang() throws Exception {
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        DurableRef<Long> ref = longRef(store, "k", 0, WriteMode.COALESCING);
        ref.addWatch((o, n) -> {
            try {
                ref.flush();
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
        });
        ref.set(1L);
        ref.flush();
        assertEquals(1, thrown.size());
        assertEquals(1L, storedLong(store, "k"));
    }

    @Test
    void coalescingCloseFlushes() {
        DurableRef<Long> ref = longRef(store, "k", 0, WriteMode.COALESCING);
        for (int i = 0; i < 100; i++) {
            ref.set((long) i);
        }
        ref.close();
        assertEquals(99L, storedLong(store, "k"));
        ref.close();
    }

    @Test
    void coalescingSecondWriterIsAConflictNeverASilentOverwrite() {
        DurableRef<Long> sync = longRef("shared", 0);
        List<KeepsakeException> told = new CopyOnWriteArrayList<>();
        DurableRef<Long> coalescing = track(Keepsake.ref(Long.class).store(store).key("shared")
                .initial(0L).mode(WriteMode.COALESCING).onWriteFailure(told::add).open());
        sync.set(1L);
        coalescing.set(2L);
        FailStopException e = assertThrows(FailStopException.class, coalescing::flush);
        assertInstanceOf(ConflictException.class, e.getCause());
        assertEquals("shared", ((ConflictException) e.getCause()).key());
        assertEquals(1L, storedLong(store, "shared"));
        assertEquals(1, told.size());
    }
}
