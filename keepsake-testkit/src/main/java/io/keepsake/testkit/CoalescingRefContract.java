package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.CodecException;
import io.keepsake.ConflictException;
import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.WriteMode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@link RefModeContract} in {@link WriteMode#COALESCING}, and what only COALESCING does: a background writer
 * stores the latest value, watches fire after its put, and a failed write fail-stops the ref.
 */
abstract class CoalescingRefContract extends RefModeContract {

    @Override
    protected final WriteMode mode() {
        return WriteMode.COALESCING;
    }

    @Test
    void coalescingFlushStoresTheLatestValue() {
        DurableRef<Long> ref = ref("k", 0);
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
    void coalescingWatchThatFlushesGetsAnErrorInsteadOfAHang() {
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        DurableRef<Long> ref = ref("k", 0);
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
        DurableRef<Long> ref = ref("k", 0);
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

    @Test
    void coalescingDestroyDiscardsAValueNotYetWritten() {
        DurableRef<Long> ref = ref("k", 0);
        ref.set(1L);
        ref.flush();
        for (long i = 2; i <= 50; i++) {
            ref.set(i); // some of these may be written before destroy; none may be written after it
        }
        ref.destroy();
        assertTrue(store.get("k").isEmpty(), "destroy deletes whatever the writer stored");
        ref.close();
        assertTrue(store.get("k").isEmpty(), "a discarded value is never written later");
        assertEquals(Long.MIN_VALUE, storedLong(store, "k"));
    }

    @Test
    void coalescingDestroyAfterAnotherWriterChangedTheValueConflictsAndDeletesNothing() {
        DurableRef<Long> coalescing = ref("shared", 0);
        coalescing.set(1L);
        coalescing.flush();
        DurableRef<Long> sync = longRef("shared", 0);
        assertEquals(1L, sync.get());
        sync.set(2L);
        ConflictException e = assertThrows(ConflictException.class, coalescing::destroy);
        assertEquals("shared", e.key());
        assertEquals(2L, storedLong(store, "shared"), "the other writer's value is kept");
    }

    @Test
    void coalescingCompareAndSetAndGetAndUpdateAreDurableAfterFlush() throws Exception {
        DurableRef<Long> ref = ref("k", 10);
        assertEquals(10L, ref.getAndUpdate(x -> x + 5));
        assertTrue(ref.compareAndSet(15L, 20L));
        assertEquals(20L, ref.getAndUpdate(x -> x * 2));
        ref.flush();
        assertEquals(40L, storedLong(store, "k"));
        ref.close();
        reopenStore();
        assertEquals(40L, storedLong(store, "k"));
    }
}
