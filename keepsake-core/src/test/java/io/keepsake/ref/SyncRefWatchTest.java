package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.ValidationException;
import io.keepsake.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Issue 8.2: SYNC watches run after the lock is released, still in commit order; re-entrant calls are refused. */
class SyncRefWatchTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private final Store store = Store.memory();

    @Test
    void aWatchThatWaitsForAnotherWriteToTheSameRefDoesNotDeadlock() {
        DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L).open();
        CountDownLatch otherDone = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        ref.addWatch((o, n) -> {
            seen.add(n);
            if (n == 1L) {
                Thread.ofPlatform().start(() -> {
                    ref.set(2L); // needs the ref's lock: the watch must not be holding it
                    otherDone.countDown();
                });
                try {
                    assertTrue(otherDone.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the other write ran");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        assertTimeoutPreemptively(HANG_GUARD, () -> ref.set(1L));
        assertEquals(2L, ref.get());
        assertEquals(List.of(1L, 2L), seen, "watches run in commit order");
        ref.close();
    }

    @Test
    void watchesSeeEveryCommitInOrderUnderConcurrentWriters() throws Exception {
        DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L).open();
        List<long[]> seen = new ArrayList<>(); // touched by one deliverer at a time
        ref.addWatch((o, n) -> {
            synchronized (seen) {
                seen.add(new long[] {o, n});
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) {
                    ref.updateAndGet(x -> x + 1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(2_000L, ref.get());
        synchronized (seen) {
            assertEquals(2_000, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i)[0], "old value of change " + i);
                assertEquals(i + 1, seen.get(i)[1], "new value of change " + i);
            }
        }
        ref.close();
    }

    @Test
    void aWatchThatChangesItsOwnRefGetsIllegalStateException() {
        DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L).open();
        AtomicReference<Throwable> inWatch = new AtomicReference<>();
        ref.addWatch((o, n) -> {
            try {
                ref.set(n + 100);
            } catch (Throwable t) {
                inWatch.set(t);
            }
        });
        ref.set(1L);
        assertInstanceOf(IllegalStateException.class, inWatch.get());
        assertTrue(inWatch.get().getMessage().contains("a watch"), inWatch.get().getMessage());
        assertEquals(1L, ref.get(), "the nested change did nothing");
        ref.close();
    }

    @Test
    void aValidatorOrUpdateFunctionThatChangesItsOwnRefGetsIllegalStateException() {
        AtomicReference<DurableRef<Long>> self = new AtomicReference<>();
        DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L)
                .validator(x -> {
                    if (x == 5L) {
                        self.get().set(99L); // refused; escapes the validator
                    }
                    return true;
                }).open();
        self.set(ref);
        ValidationException e = assertThrows(ValidationException.class, () -> ref.set(5L));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("a validator"), e.getCause().getMessage());
        assertEquals(0L, ref.get(), "nothing was written");
        assertThrows(IllegalStateException.class, () -> ref.updateAndGet(x -> {
            ref.set(7L);
            return x;
        }));
        assertEquals(0L, ref.get(), "a writing update function changes nothing");
        assertEquals(1L, ref.updateAndGet(x -> ref.get() + 1), "reading the ref is allowed");
        ref.close();
    }
}
