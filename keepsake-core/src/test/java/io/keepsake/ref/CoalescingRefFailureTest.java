package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.FailStopException;
import io.keepsake.Keepsake;
import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 8.2: an Error in a COALESCING ref's writer fail-stops it; flush, close and destroy never hang. */
class CoalescingRefFailureTest {
    /** Only a guard against the old hang, never a timing assertion. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);

    /** Stands for an Error a store or a watch may throw (OutOfMemoryError, a linkage error, an assertion). */
    static final class DiskOnFire extends Error {
        private static final long serialVersionUID = 1L;

        DiskOnFire() {
            super("simulated Error");
        }
    }

    private final Store memory = Store.memory();

    private DurableRef<Long> coalescing(Store store) {
        return Keepsake.ref(Long.class).store(store).key("k").initial(0L).mode(WriteMode.COALESCING).open();
    }

    @Test
    void anErrorInTheStorePutFailStopsTheRefAndFlushAndCloseThrowPromptly() {
        HookedStore store = new HookedStore(memory);
        DurableRef<Long> ref = coalescing(store);
        ref.set(1L);
        ref.flush();
        store.onPut((k, v, e) -> {
            throw new DiskOnFire();
        });
        ref.set(2L);
        FailStopException flushed = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(FailStopException.class, ref::flush));
        assertTrue(flushed.getCause() instanceof DiskOnFire, String.valueOf(flushed.getCause()));
        assertThrows(FailStopException.class, () -> ref.set(3L));
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(FailStopException.class, ref::close));
        assertThrows(ClosedException.class, ref::get);
        assertTimeoutPreemptively(HANG_GUARD, ref::close);
    }

    @Test
    void destroyAfterAnErrorInTheStorePutReturnsAndDeletesWhatWasWritten() {
        HookedStore store = new HookedStore(memory);
        DurableRef<Long> ref = coalescing(store);
        ref.set(1L);
        ref.flush();
        store.onPut((k, v, e) -> {
            throw new DiskOnFire();
        });
        ref.set(2L);
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(FailStopException.class, ref::flush));
        assertTimeoutPreemptively(HANG_GUARD, ref::destroy);
        assertTrue(memory.get("k").isEmpty());
        assertThrows(ClosedException.class, ref::flush);
    }

    @Test
    void destroyWhileTheWriterDiesReturnsPromptly() {
        HookedStore store = new HookedStore(memory);
        DurableRef<Long> ref = coalescing(store);
        store.onPut((k, v, e) -> {
            throw new DiskOnFire();
        });
        ref.set(1L);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try {
                ref.destroy();
            } catch (RuntimeException e) {
                // a conflict or fail-stop is fine; a hang is not
            }
        });
        assertThrows(ClosedException.class, () -> ref.set(2L));
    }

    @Test
    void anErrorInAWatchFailStopsTheRefThoughTheValueIsDurable() {
        DurableRef<Long> ref = coalescing(memory);
        ref.addWatch((o, n) -> {
            if (n == 2L) {
                throw new DiskOnFire();
            }
        });
        ref.set(1L);
        ref.flush();
        ref.set(2L);
        FailStopException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(FailStopException.class, ref::flush));
        assertTrue(e.getCause() instanceof DiskOnFire);
        try (DurableRef<Long> fresh = Keepsake.ref(Long.class).store(memory).key("k").initial(-1L).open()) {
            assertEquals(2L, fresh.get(), "the put happened before the watch threw");
        }
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(FailStopException.class, ref::close));
    }

    @Test
    void aRuntimeExceptionInAWatchIsOnlyLogged() {
        DurableRef<Long> ref = coalescing(memory);
        ref.addWatch((o, n) -> {
            throw new IllegalArgumentException("a buggy watch");
        });
        ref.set(1L);
        ref.flush();
        ref.set(2L);
        ref.close();
        WorkerStatus status = ref.writerStatus();
        assertEquals(null, status.lastFailure());
        assertEquals(2, status.successes());
        assertTrue(status.stopped(), "closed");
    }

    @Test
    void theWriterStatusAndListenersShowTheFailure() {
        HookedStore store = new HookedStore(memory);
        List<WorkerStatus> told = new CopyOnWriteArrayList<>();
        List<Exception> toldOld = new CopyOnWriteArrayList<>();
        @SuppressWarnings("deprecation") // onWriteFailure: the deprecated listener this test still covers
        DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L)
                .mode(WriteMode.COALESCING).writerListener(told::add).onWriteFailure(toldOld::add).open();
        ref.set(1L);
        ref.flush();
        WorkerStatus ok = ref.writerStatus();
        assertEquals(1, ok.successes());
        assertEquals(1, ok.lastSequence(), "the number of the change made durable");
        assertTrue(ok.lastBytes() > 0);
        assertFalse(ok.unhealthy());
        assertTrue(ok.worker().contains("'k'"), ok.worker());
        DiskOnFire error = new DiskOnFire();
        store.onPut((k, v, e) -> {
            throw error;
        });
        ref.set(2L);
        assertThrows(FailStopException.class, ref::flush);
        WorkerStatus failed = ref.writerStatus();
        assertSame(error, failed.lastFailure());
        assertEquals(1, failed.consecutiveFailures());
        assertTrue(failed.stopped());
        assertEquals(1, told.size());
        assertSame(error, told.get(0).lastFailure());
        assertEquals(1, toldOld.size());
        assertTrue(toldOld.get(0) instanceof StorageException && toldOld.get(0).getCause() == error);
        assertThrows(FailStopException.class, ref::close);
    }

    @Test
    void aSyncRefReportsAStatusThatNeverChanges() {
        try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(memory).key("k").initial(0L).open()) {
            ref.set(1L);
            WorkerStatus status = ref.writerStatus();
            assertEquals(0, status.successes());
            assertFalse(status.unhealthy());
        }
    }

    @Test
    void coalescingCompareAndSetGetAndUpdateAndDestroy() {
        DurableRef<Long> ref = coalescing(memory);
        assertTrue(ref.compareAndSet(0L, 5L));
        assertFalse(ref.compareAndSet(0L, 6L));
        assertEquals(5L, ref.getAndUpdate(x -> x * 2));
        assertEquals(10L, ref.get());
        ref.flush();
        try (DurableRef<Long> fresh = Keepsake.ref(Long.class).store(memory).key("k").initial(-1L).open()) {
            assertEquals(10L, fresh.get());
        }
        ref.set(11L); // not yet written perhaps: destroy discards it and deletes what was
        ref.destroy();
        assertTrue(memory.get("k").isEmpty());
        assertThrows(ClosedException.class, ref::get);
        assertThrows(ClosedException.class, () -> ref.compareAndSet(11L, 12L));
        assertThrows(ClosedException.class, () -> ref.getAndUpdate(x -> x));
        assertThrows(ClosedException.class, ref::destroy);
        ref.close();
        assertTrue(memory.get("k").isEmpty());
    }
}
