package io.keepsake.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transactions, single changes, saves, reloads and definitions all at once: nothing deadlocks, and neither memory
 * (read inside a transaction) nor any save ever shows half a transfer.
 */
@Timeout(120) // a deadlock fails the test instead of hanging the build
class RegistryConcurrencyTest {

    @Test
    void mixedOperationsNeverDeadlockOrShowHalfATransaction() throws Exception {
        Store store = Store.memory();
        StateRegistry state = Keepsake.registry(store).key("bank").open();
        DurableRef<Long> a = state.define("a", Long.class, 100L);
        DurableRef<Long> b = state.define("b", Long.class, 0L);
        DurableRef<Long> c = state.define("c", Long.class, 0L);
        state.saveAll();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            long amount = m + 1;
            threads.add(start(failure, () -> {
                for (int i = 0; i < 1_000; i++) {
                    state.transact(() -> {
                        a.updateAndGet(x -> x - amount);
                        b.updateAndGet(x -> x + amount);
                    });
                    long[] sum = new long[1];
                    state.transact(() -> sum[0] = a.get() + b.get());
                    assertEquals(100L, sum[0], "memory shows half a transfer");
                }
            }));
        }
        threads.add(start(failure, () -> {
            for (int i = 0; i < 2_000; i++) {
                c.updateAndGet(x -> x + 1);
            }
        }));
        threads.add(start(failure, () -> {
            for (int i = 0; i < 50; i++) {
                state.saveAll();
                if (i % 10 == 9) {
                    try {
                        state.reloadAll();
                    } catch (KeepsakeException e) {
                        // a ref defined since the save: reloadAll refuses, as it must; anything else is a failure
                        if (!e.getMessage().contains("never saved")) {
                            throw e;
                        }
                    }
                }
                try (StateRegistry reader = Keepsake.registry(store).key("bank").open()) {
                    long sum = reader.define("a", Long.class, -1L).get() + reader.define("b", Long.class, -1L).get();
                    assertEquals(100L, sum, "save " + i + " holds half a transfer");
                }
            }
        }));
        threads.add(start(failure, () -> {
            for (int i = 0; i < 100; i++) {
                DurableRef<Long> extra = state.define("extra-" + i, Long.class, (long) i);
                extra.set((long) -i);
                if (i % 2 == 0) {
                    extra.destroy();
                }
            }
        }));
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(100));
            assertFalse(t.isAlive(), "a thread is stuck: " + t.getName());
        }
        assertNull(failure.get(), () -> "a thread failed: " + failure.get());
        state.saveAll();
        state.close();
        try (StateRegistry reader = Keepsake.registry(store).key("bank").open()) {
            assertEquals(100L, reader.define("a", Long.class, -1L).get() + reader.define("b", Long.class, -1L).get());
            assertEquals(-99L, reader.define("extra-99", Long.class, 0L).get());
            assertEquals(0L, reader.define("extra-98", Long.class, 0L).get(), "a destroyed ref is not saved");
        }
    }

    private static Thread start(AtomicReference<Throwable> failure, Runnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
    }
}
