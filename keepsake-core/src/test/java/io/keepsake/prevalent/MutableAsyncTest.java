package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.FailStopException;
import io.keepsake.Keepsake;
import io.keepsake.OverloadedException;
import io.keepsake.RejectedException;
import io.keepsake.StorageException;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Prevalent#executeAsync}: futures complete once durable with what {@code execute} would give, in one
 * journal order shared with {@code execute}; failures reach only their own future; fail-stop and close leave no
 * future hanging; at the in-flight bound the future fails at once with {@link OverloadedException}. The timeouts
 * only guard against a hang.
 */
class MutableAsyncTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Prevalent<Bank> open() {
        return Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).open();
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return e.getCause();
    }

    @Test
    void futuresCompleteWithResultsInJournalOrderAndLiveStateEqualsReplay() throws Exception {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Bank live;
            int writers = 4;
            int each = 250;
            try (Prevalent<Bank> bank = open()) {
                List<Thread> threads = new ArrayList<>();
                List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    List<CompletableFuture<Long>> mine = new ArrayList<>();
                    futures.add(mine);
                    String account = "acct-" + w;
                    threads.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < each; i++) {
                            mine.add(bank.executeAsync(new Bank.Deposit(account, 1)));
                            if (i % 50 == 0) {
                                bank.execute(new Bank.Deposit("sync", 1)); // shares the order with async calls
                            }
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
                for (List<CompletableFuture<Long>> mine : futures) {
                    for (int i = 0; i < each; i++) {
                        // one writer's calls are applied in the order it made them: its balance counts up
                        assertEquals(i + 1L, mine.get(i).join());
                    }
                }
                long total = (long) writers * each + writers * (each / 50);
                assertEquals(total, bank.lastSequence());
                live = bank.query(b -> b);
                assertEquals(total, live.commands);
            }
            try (Prevalent<Bank> bank = open()) {
                assertEquals(live, bank.query(b -> b));
            }
        });
    }

    @Test
    void aThrowingCommandOrCheckFailsOnlyItsOwnFuture() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Prevalent<Bank> bank = open()) {
                CompletableFuture<Long> first = bank.executeAsync(new Bank.Deposit("alice", 5));
                CompletableFuture<Long> refused = bank.executeAsync(new Bank.Withdraw("bob", 1)); // check says no
                CompletableFuture<Long> thrown = bank.executeAsync(new Bank.DepositIfOpen("carol", 1)); // throws
                CompletableFuture<Void> stray = bank.executeAsync(new Bank.Stray("unregistered"));
                CompletableFuture<Long> last = bank.executeAsync(new Bank.Deposit("alice", 1));
                assertEquals(5L, first.join());
                assertInstanceOf(RejectedException.class, failureOf(refused));
                assertInstanceOf(IllegalArgumentException.class, failureOf(thrown));
                assertInstanceOf(io.keepsake.CodecException.class, failureOf(stray));
                assertEquals(6L, last.join());
                assertEquals(3, bank.lastSequence()); // the throwing command is journaled; check and codec are not
            }
        });
    }

    /** A command that calls executeAsync on its own system. */
    public record Nests() implements Command<Bank, Long> {
        static final AtomicReference<Prevalent<Bank>> BANK = new AtomicReference<>();

        @Override
        public Long execute(Bank bank, Instant time) {
            BANK.get().executeAsync(new Bank.Deposit("inner", 1));
            bank.commands++;
            return 0L;
        }
    }

    @Test
    void aCommandCallingExecuteAsyncIsRefusedAndLiveStateEqualsReplay() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Bank live;
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS)
                    .register(Nests.class).open()) {
                Nests.BANK.set(bank);
                assertInstanceOf(IllegalStateException.class, failureOf(bank.executeAsync(new Nests())));
                assertEquals(1L, bank.executeAsync(new Bank.Deposit("alice", 1)).join());
                live = bank.query(b -> b);
                assertEquals(0L, live.balance("inner"));
            }
            Nests.BANK.set(null);
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS)
                    .register(Nests.class).open()) {
                assertEquals(live, bank.query(b -> b));
            }
        });
    }

    @Test
    void callbacksRunOffTheCommitterAndMayCallExecute() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Prevalent<Bank> bank = open()) {
                AtomicReference<String> thread = new AtomicReference<>();
                long after = bank.executeAsync(new Bank.Deposit("alice", 1)).thenApply(b -> {
                    thread.set(Thread.currentThread().getName());
                    return bank.execute(new Bank.Deposit("alice", 10)); // would deadlock on the committer
                }).join();
                assertEquals(11L, after);
                // a future already complete when thenApply is attached runs the callback on the caller: either way
                // never on the journal's committer
                assertTrue(Set.of("keepsake-complete", Thread.currentThread().getName()).contains(thread.get()),
                        thread.get());
                long chained = bank.executeAsync(new Bank.Deposit("alice", 1))
                        .thenCompose(b -> bank.executeAsync(new Bank.Deposit("alice", b))).join();
                assertEquals(24L, chained);
            }
        });
    }

    @Test
    void atTheBoundTheFutureFailsAtOnceAndNothingIsJournaled() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            HeldJournal journal = new HeldJournal();
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory())
                    .register(Bank.EVENTS).maxAsyncInFlight(3).open()) {
                List<CompletableFuture<Long>> held = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    held.add(bank.executeAsync(new Bank.Deposit("alice", 1)));
                }
                CompletableFuture<Long> over = bank.executeAsync(new Bank.Deposit("alice", 100));
                assertTrue(over.isCompletedExceptionally(), "refused at once, without waiting");
                assertInstanceOf(OverloadedException.class, failureOf(over));
                assertEquals(3, journal.delegate.lastSequence(), "the refused call wrote nothing");
                held.forEach(f -> assertFalse(f.isDone()));
                journal.release();
                assertEquals(List.of(1L, 2L, 3L), held.stream().map(CompletableFuture::join).toList());
                assertEquals(4L, bank.executeAsync(new Bank.Deposit("alice", 1)).join(), "room again");
                assertEquals(4L, (long) bank.query(b -> b.balance("alice")));
            }
            journal.close();
        });
    }

    @Test
    void aJournalFailureFailsEveryPendingFutureAndEveryLaterCall() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            HeldJournal journal = new HeldJournal();
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory())
                    .register(Bank.EVENTS).open()) {
                List<CompletableFuture<Long>> pending = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    pending.add(bank.executeAsync(new Bank.Deposit("alice", 1)));
                }
                journal.fail(new StorageException("simulated force failure"));
                for (CompletableFuture<Long> f : pending) {
                    assertInstanceOf(FailStopException.class, failureOf(f));
                }
                assertInstanceOf(FailStopException.class,
                        failureOf(bank.executeAsync(new Bank.Deposit("alice", 1))));
                assertEquals(0L, (long) bank.query(b -> b.balance("alice")), "nothing durable was applied");
            }
            journal.close();
        });
    }

    @Test
    void closeCompletesOrFailsEveryFutureAndCompletedOnesAreRecovered() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            List<CompletableFuture<Long>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            Prevalent<Bank> bank = open();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    futures.add(bank.executeAsync(new Bank.Deposit("alice", 1)));
                }
            });
            while (futures.size() < 200) {
                Thread.onSpinWait(); // test driver: start closing while calls are in flight
            }
            bank.close();
            writer.join();
            long completed = 0;
            for (CompletableFuture<Long> f : futures) {
                assertTrue(f.isDone(), "close left a future hanging");
                if (f.isCompletedExceptionally()) {
                    assertInstanceOf(ClosedException.class, failureOf(f));
                } else {
                    completed++;
                }
            }
            assertTrue(completed > 0, "some calls completed before close");
            try (Prevalent<Bank> reopened = open()) {
                assertTrue(reopened.query(b -> b.balance("alice")) >= completed, "a completed call was lost");
            }
            assertInstanceOf(ClosedException.class, failureOf(bank.executeAsync(new Bank.Deposit("x", 1))));
        });
    }

    @Test
    void pendingFuturesOnACallersJournalCompleteOnceItAcknowledgesAfterClose() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            HeldJournal journal = new HeldJournal();
            Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory())
                    .register(Bank.EVENTS).open();
            CompletableFuture<Long> pending = bank.executeAsync(new Bank.Deposit("alice", 7));
            bank.close(); // the caller's journal stays open: the append may still become durable
            journal.release();
            assertEquals(7L, pending.join());
            journal.close();
        });
    }

    @Test
    void anErrorInACommandFailsItsFutureWithTheErrorAndFailStops() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS)
                    .register(CommandErrorTest.Explodes.class).open()) {
                assertSame(CommandErrorTest.BUG, failureOf(bank.executeAsync(new CommandErrorTest.Explodes())));
                assertInstanceOf(FailStopException.class,
                        failureOf(bank.executeAsync(new Bank.Deposit("alice", 1))));
            }
        });
    }
}
