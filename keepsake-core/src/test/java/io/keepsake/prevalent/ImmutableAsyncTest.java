package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrevalentValue#executeAsync}: the same guarantees as {@link MutableAsyncTest} for the immutable kind, plus
 * that a completed future's state is published. The timeouts only guard against a hang.
 */
class ImmutableAsyncTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private PrevalentValue<Ledger, Ledger.Event> open() {
        return Keepsake.prevalent(Ledger.EMPTY, Ledger::apply).directory(dir).register(Ledger.Event.class).open();
    }

    private static PrevalentValue<Ledger, Ledger.Event> open(HeldJournal journal, int bound) {
        return Keepsake.prevalent(Ledger.EMPTY, Ledger::apply).journal(journal).snapshotStore(Store.memory())
                .register(Ledger.Event.class).maxAsyncInFlight(bound).open();
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        return assertThrows(CompletionException.class, f::join).getCause();
    }

    @Test
    void futuresCompleteWithOutcomesInOrderOncePublishedAndLiveStateEqualsReplay() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Ledger live;
            int writers = 4;
            int each = 250;
            try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
                List<Thread> threads = new ArrayList<>();
                List<List<CompletableFuture<Outcome<Ledger>>>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    List<CompletableFuture<Outcome<Ledger>>> mine = new ArrayList<>();
                    futures.add(mine);
                    String account = "acct-" + w;
                    threads.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < each; i++) {
                            mine.add(ledger.executeAsync(new Ledger.Credit(account, 1)));
                            if (i % 50 == 0) {
                                ledger.execute(new Ledger.Credit("sync", 1));
                            }
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
                for (List<CompletableFuture<Outcome<Ledger>>> mine : futures) {
                    for (int i = 0; i < each; i++) {
                        Outcome<Ledger> outcome = mine.get(i).join();
                        assertEquals(i + 1L, outcome.result(Long.class));
                        assertTrue(ledger.lastSequence() >= outcome.state().events(), "published when completed");
                    }
                }
                long total = (long) writers * each + writers * (each / 50);
                assertEquals(total, ledger.lastSequence());
                live = ledger.state();
                assertEquals(total, live.events());
            }
            try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
                assertEquals(live, ledger.state());
            }
        });
    }

    @Test
    void aRejectedEventFailsOnlyItsOwnFutureAndIsNotJournaled() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
                CompletableFuture<Outcome<Ledger>> first = ledger.executeAsync(new Ledger.Credit("alice", 5));
                CompletableFuture<Outcome<Ledger>> refused = ledger.executeAsync(new Ledger.Debit("bob", 1));
                CompletableFuture<Outcome<Ledger>> last = ledger.executeAsync(new Ledger.Credit("alice", 1));
                assertEquals(5L, first.join().result(Long.class));
                assertInstanceOf(RejectedException.class, failureOf(refused));
                assertEquals(6L, last.join().result(Long.class));
                assertEquals(2, ledger.lastSequence());
            }
        });
    }

    @Test
    void atTheBoundTheFutureFailsAtOnceAndNothingIsJournaled() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            HeldJournal journal = new HeldJournal();
            try (PrevalentValue<Ledger, Ledger.Event> ledger = open(journal, 2)) {
                CompletableFuture<Outcome<Ledger>> a = ledger.executeAsync(new Ledger.Credit("alice", 1));
                CompletableFuture<Outcome<Ledger>> b = ledger.executeAsync(new Ledger.Credit("alice", 1));
                CompletableFuture<Outcome<Ledger>> over = ledger.executeAsync(new Ledger.Credit("alice", 100));
                assertTrue(over.isCompletedExceptionally(), "refused at once, without waiting");
                assertInstanceOf(OverloadedException.class, failureOf(over));
                assertFalse(a.isDone() || b.isDone());
                assertEquals(2, journal.delegate.lastSequence(), "the refused call wrote nothing");
                journal.release();
                assertEquals(2L, b.join().result(Long.class));
                assertEquals(3L, ledger.executeAsync(new Ledger.Credit("alice", 1)).join().result(Long.class));
                assertEquals(3L, ledger.state().balance("alice"), "the refused event changed nothing");
            }
            journal.close();
        });
    }

    @Test
    void aJournalFailureFailsEveryPendingFutureAndPublishesNothingMore() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            HeldJournal journal = new HeldJournal();
            try (PrevalentValue<Ledger, Ledger.Event> ledger = open(journal, 100)) {
                List<CompletableFuture<Outcome<Ledger>>> pending = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    pending.add(ledger.executeAsync(new Ledger.Credit("alice", 1)));
                }
                journal.fail(new StorageException("simulated force failure"));
                for (CompletableFuture<Outcome<Ledger>> f : pending) {
                    assertInstanceOf(FailStopException.class, failureOf(f));
                }
                assertInstanceOf(FailStopException.class,
                        failureOf(ledger.executeAsync(new Ledger.Credit("alice", 1))));
                assertEquals(0L, ledger.state().balance("alice"));
                assertEquals(0, ledger.lastSequence());
            }
            journal.close();
        });
    }

    @Test
    void closeCompletesOrFailsEveryFutureAndCompletedOnesAreRecovered() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            List<CompletableFuture<Outcome<Ledger>>> futures = Collections.synchronizedList(new ArrayList<>());
            PrevalentValue<Ledger, Ledger.Event> ledger = open();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    futures.add(ledger.executeAsync(new Ledger.Credit("alice", 1)));
                }
            });
            while (futures.size() < 200) {
                Thread.onSpinWait(); // test driver: start closing while calls are in flight
            }
            ledger.close();
            writer.join();
            long completed = 0;
            for (CompletableFuture<Outcome<Ledger>> f : futures) {
                assertTrue(f.isDone(), "close left a future hanging");
                if (f.isCompletedExceptionally()) {
                    assertInstanceOf(ClosedException.class, failureOf(f));
                } else {
                    completed++;
                }
            }
            assertTrue(completed > 0, "some calls completed before close");
            try (PrevalentValue<Ledger, Ledger.Event> reopened = open()) {
                assertTrue(reopened.state().balance("alice") >= completed, "a completed call was lost");
            }
        });
    }

    @Test
    void aBoundBelowOneIsRefusedByTheBuilder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Keepsake.prevalent(Ledger.EMPTY, Ledger::apply).maxAsyncInFlight(0));
        assertTrue(e.getMessage().contains("maxAsyncInFlight"), e.getMessage());
    }
}
