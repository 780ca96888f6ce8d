package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FailStopException;
import io.keepsake.Keepsake;
import io.keepsake.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An Error in a command fail-stops a mutable system (its model may be half changed), as in Prevayler: the caller
 * gets the Error, every caller still waiting and every later call gets FailStopException, and nothing hangs. The
 * timeouts only guard against a hang.
 */
class CommandErrorTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    static final AssertionError BUG = new AssertionError("bug in a command");
    static final AtomicReference<String> RAN_ON = new AtomicReference<>();

    /** Changes the model half way, then throws an Error. */
    public record Explodes() implements Command<Bank, Long> {
        @Override
        public Long execute(Bank bank, Instant time) {
            RAN_ON.set(Thread.currentThread().getName());
            bank.commands++;
            throw BUG;
        }
    }

    private static Prevalent<Bank> open(MemoryJournal journal) {
        return Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory()).register(Bank.EVENTS)
                .register(Explodes.class).open();
    }

    @Test
    void anErrorInACommandReachesItsCallerAndFailStopsTheSystem() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            MemoryJournal journal = new MemoryJournal();
            try (Prevalent<Bank> bank = open(journal)) {
                bank.execute(new Bank.Deposit("alice", 5));
                assertSame(BUG, assertThrows(AssertionError.class, () -> bank.execute(new Explodes())));
                FailStopException later = assertThrows(FailStopException.class,
                        () -> bank.execute(new Bank.Deposit("alice", 1)));
                assertSame(BUG, later.getCause());
                assertThrows(FailStopException.class, () -> bank.query(b -> b.balance("alice")));
                assertThrows(FailStopException.class, bank::snapshot);
                assertEquals(2, journal.lastSequence()); // the Error's command is journaled; nothing after it
            }
        });
    }

    @Test
    void anErrorOnTheApplierThreadFailsEveryWaiterAndNothingHangs() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            MemoryJournal journal = new MemoryJournal();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try (Prevalent<Bank> bank = open(journal)) {
                // A slow query holds the read lock, so acknowledged commands are handed to the applier thread.
                CountDownLatch inQuery = new CountDownLatch(1);
                CountDownLatch endQuery = new CountDownLatch(1);
                Future<Long> query = pool.submit(() -> bank.query(b -> {
                    inQuery.countDown();
                    try {
                        endQuery.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return b.balance("alice");
                }));
                inQuery.await();
                Future<Long> exploding = pool.submit(() -> bank.execute(new Explodes()));
                awaitJournal(journal, 1);
                List<Future<Long>> waiters = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    waiters.add(pool.submit(() -> bank.execute(new Bank.Deposit("alice", 1))));
                }
                awaitJournal(journal, 3);
                endQuery.countDown();
                assertEquals(0L, query.get());
                assertSame(BUG, assertInstanceOf(AssertionError.class,
                        assertThrows(java.util.concurrent.ExecutionException.class, exploding::get).getCause()));
                assertTrue(RAN_ON.get().startsWith("keepsake-apply"), "ran on " + RAN_ON.get());
                for (Future<Long> waiter : waiters) {
                    assertInstanceOf(FailStopException.class,
                            assertThrows(java.util.concurrent.ExecutionException.class, waiter::get).getCause());
                }
                assertThrows(FailStopException.class, () -> bank.execute(new Bank.Deposit("alice", 1)));
            } finally {
                pool.shutdownNow();
            }
        });
    }

    private static void awaitJournal(MemoryJournal journal, long sequence) throws InterruptedException {
        while (journal.lastSequence() < sequence) {
            Thread.sleep(1);
        }
    }
}
