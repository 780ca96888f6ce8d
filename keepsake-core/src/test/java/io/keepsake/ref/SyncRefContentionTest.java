package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ConflictException;
import io.keepsake.Keepsake;
import io.keepsake.internal.concurrent.ManualTicker;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 15.1: contention alone never fails a read-modify-write; only the documented deadline does. */
class SyncRefContentionTest {
    private static final int PER_THREAD = 2_000;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "file"})
    void twoRefsOnOneKeyCountExactlyAndNoCallGivesUp(String backend) throws Exception {
        Store shared = Store.memory();
        Store first = backend.equals("memory") ? shared : FileStore.at(tmp);
        Store second = backend.equals("memory") ? shared : FileStore.at(tmp); // like a second process
        List<Long> returned = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (DurableRef<Long> a = Keepsake.ref(Long.class).store(first).key("counter").initial(0L).open();
             DurableRef<Long> b = Keepsake.ref(Long.class).store(second).key("counter").initial(0L).open()) {
            List<Thread> threads = new ArrayList<>();
            for (DurableRef<Long> ref : List.of(a, b)) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        try {
                            returned.add(ref.updateAndGet(x -> x + 1));
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), failures, "no call may give up under contention alone");
            try (DurableRef<Long> reader = Keepsake.ref(Long.class).store(first).key("counter").initial(-1L)
                    .open()) {
                assertEquals(2L * PER_THREAD, reader.get());
            }
            Set<Long> distinct = new HashSet<>(returned);
            assertEquals(2 * PER_THREAD, distinct.size(), "every returned value is distinct");
        } finally {
            if (first != shared) {
                first.close();
                second.close();
            }
        }
    }

    @Test
    void aReadModifyWriteOutlastsMoreThanAHundredConflictsInARow() {
        HookedStore store = new HookedStore(Store.memory());
        AtomicInteger lost = new AtomicInteger();
        store.onPut((k, v, e) -> {
            if (lost.incrementAndGet() <= 150) {
                throw new ConflictException(k, "another writer won (simulated)");
            }
        });
        try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L)
                .ticker(ManualTicker.autoAdvancing()).open()) {
            assertEquals(1L, ref.updateAndGet(x -> x + 1));
            assertEquals(1L, ref.getAndUpdate(x -> x + 1));
            assertTrue(ref.compareAndSet(2L, 10L));
            assertEquals(10L, ref.get());
        }
    }

    @Test
    void afterItsBackoffALoserRetriesOnTheValueStoredDuringTheWaitNotBeforeIt() {
        Store shared = Store.memory();
        HookedStore mine = new HookedStore(shared);
        AtomicInteger myPuts = new AtomicInteger();
        mine.onPut((k, v, e) -> myPuts.incrementAndGet());
        try (DurableRef<Long> other = Keepsake.ref(Long.class).store(shared).key("k").initial(0L).open()) {
            // Another writer that never pauses: it commits once during every wait of this ref's backoff.
            io.keepsake.Ticker busy = new io.keepsake.Ticker() {
                private final ManualTicker time = ManualTicker.manual();

                @Override
                public long read() {
                    return time.read();
                }

                @Override
                public void sleep(long nanos) {
                    time.advance(Math.max(nanos, 1), java.util.concurrent.TimeUnit.NANOSECONDS);
                    other.updateAndGet(x -> x + 1);
                }
            };
            try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(mine).key("k").initial(0L).ticker(busy)
                    .open()) {
                other.updateAndGet(x -> x + 1); // ref's first put loses to this one
                assertEquals(3L, ref.updateAndGet(x -> x + 1), "1 before the call, 1 during its one wait, then +1");
                assertEquals(2, myPuts.get(), "one lost put, then one on the value read after the wait");
            }
        }
    }

    @Test
    void pastTheDeadlineTheConflictNamesTheKeyTheAttemptsAndTheTimeSpent() {
        HookedStore store = new HookedStore(Store.memory());
        AtomicInteger puts = new AtomicInteger();
        store.onPut((k, v, e) -> {
            puts.incrementAndGet();
            throw new ConflictException(k, "another writer won (simulated)");
        });
        ManualTicker ticker = ManualTicker.autoAdvancing();
        long start = ticker.read();
        try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("hot/key").initial(0L)
                .ticker(ticker).conflictDeadline(Duration.ofSeconds(2)).open()) {
            ConflictException e = assertThrows(ConflictException.class, () -> ref.updateAndGet(x -> x + 1));
            assertEquals("hot/key", e.key());
            String m = e.getMessage();
            assertTrue(m.contains("'hot/key'"), m);
            assertTrue(m.contains("updateAndGet gave up after " + puts.get() + " attempts in 2.0"), m);
            assertTrue(m.contains("conflictDeadline"), m);
            assertTrue(puts.get() > 10, "it backed off and retried until the deadline: " + puts.get());
            assertTrue(ticker.read() - start >= Duration.ofSeconds(2).toNanos(), "it waited on the ticker");
            assertEquals(0L, ref.get(), "nothing was written");
            assertThrows(ConflictException.class, () -> ref.compareAndSet(0L, 5L));
        }
    }

    @Test
    void aZeroDeadlineGivesUpAfterOneAttempt() {
        HookedStore store = new HookedStore(Store.memory());
        store.onPut((k, v, e) -> {
            throw new ConflictException(k, "another writer won (simulated)");
        });
        try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L)
                .ticker(ManualTicker.autoAdvancing()).conflictDeadline(Duration.ZERO).open()) {
            ConflictException e = assertThrows(ConflictException.class, () -> ref.getAndUpdate(x -> x + 1));
            assertTrue(e.getMessage().contains("getAndUpdate gave up after 1 attempts"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Keepsake.ref(Long.class).conflictDeadline(Duration.ofSeconds(-1)));
    }

    @Test
    void anInterruptedCallerStillBacksOffAndKeepsItsFlag() {
        HookedStore store = new HookedStore(Store.memory());
        AtomicInteger lost = new AtomicInteger();
        store.onPut((k, v, e) -> {
            if (lost.incrementAndGet() <= 20) {
                throw new ConflictException(k, "another writer won (simulated)");
            }
        });
        try (DurableRef<Long> ref = Keepsake.ref(Long.class).store(store).key("k").initial(0L).open()) {
            Thread.currentThread().interrupt();
            try {
                assertEquals(1L, ref.updateAndGet(x -> x + 1));
                assertTrue(Thread.currentThread().isInterrupted(), "the flag is restored");
            } finally {
                Thread.interrupted();
            }
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
