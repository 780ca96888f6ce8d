package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CodecException;
import io.keepsake.Keepsake;
import io.keepsake.RejectedException;
import io.keepsake.journal.Journal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutablePrevalentTest {
    @TempDir
    Path dir;

    private Prevalent<Bank> open() {
        return open(dir);
    }

    private Prevalent<Bank> open(Path where) {
        return Keepsake.prevalent(Bank::new).directory(where).register(Bank.EVENTS).open();
    }

    private long journalLast() {
        try (Journal journal = Journal.files(dir.resolve("journal")).open()) {
            return journal.lastSequence();
        }
    }

    @Test
    void commandResultsAndQueriesSeeEachExecute() {
        try (Prevalent<Bank> bank = open()) {
            assertEquals(100L, bank.execute(new Bank.Deposit("alice", 100)));
            assertEquals(70L, bank.execute(new Bank.Withdraw("alice", 30)));
            assertEquals(70L, (long) bank.query(b -> b.balance("alice")));
            assertEquals(2, bank.lastSequence());
        }
    }

    @Test
    void reopenedStateEqualsLiveState() {
        Bank live;
        try (Prevalent<Bank> bank = open()) {
            bank.execute(new Bank.Deposit("alice", 100));
            bank.execute(new Bank.Deposit("bob", 5));
            bank.execute(new Bank.Withdraw("alice", 1));
            live = bank.query(b -> b);
        }
        try (Prevalent<Bank> bank = open()) {
            assertEquals(live, bank.query(b -> b));
            assertEquals(3, bank.lastSequence());
            bank.execute(new Bank.Deposit("carol", 1));
        }
        try (Prevalent<Bank> bank = open()) {
            assertEquals(4, bank.lastSequence());
            assertEquals(1L, (long) bank.query(b -> b.balance("carol")));
        }
    }

    @Test
    void snapshotThenEventsThenCrashRecoversBoth() {
        Prevalent<Bank> crashed = open();
        crashed.execute(new Bank.Deposit("alice", 10));
        assertEquals(1, crashed.snapshot());
        crashed.execute(new Bank.Deposit("alice", 5));
        Bank live = crashed.query(b -> b);
        // crash: what a SIGKILL would leave on disk, recovered while the crashed instance is abandoned
        Path image = CrashImage.copy(dir, dir.resolveSibling(dir.getFileName() + "-crash"));
        try (Prevalent<Bank> bank = open(image)) {
            assertEquals(live, bank.query(b -> b));
            assertEquals(2, bank.lastSequence());
        } finally {
            crashed.close();
        }
    }

    @Test
    void eachCommandGetsItsRecordedTimeOnReplayAndTimeNeverRunsBackwards() {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<Instant> live;
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).clock(clock)
                .open()) {
            assertEquals(Instant.parse("2026-01-01T00:00:00Z"), bank.execute(new Bank.Stamp("a")));
            clock.set(Instant.parse("2026-01-02T00:00:00.123456789Z"));
            bank.execute(new Bank.Stamp("b"));
            clock.set(Instant.parse("2025-06-01T00:00:00Z")); // the clock steps back
            assertEquals(Instant.parse("2026-01-02T00:00:00.123456789Z"), bank.execute(new Bank.Stamp("c")));
            live = bank.query(b -> List.copyOf(b.times));
        }
        TestClock later = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(Bank.EVENTS).clock(later)
                .open()) {
            assertEquals(live, bank.query(b -> List.copyOf(b.times)));
        }
    }

    @Test
    void unregisteredCommandIsRejectedBeforeAnythingIsWritten() {
        try (Prevalent<Bank> bank = open()) {
            bank.execute(new Bank.Deposit("alice", 1));
            CodecException e = assertThrows(CodecException.class, () -> bank.execute(new Bank.Stray("x")));
            assertTrue(e.getMessage().contains("Stray"), e.getMessage());
            assertEquals(1, bank.lastSequence());
            assertEquals(1L, (long) bank.query(b -> b.commands));
        }
        assertEquals(1, journalLast());
    }

    @Test
    void unserializableCommandIsRejectedBeforeAnythingIsWritten() {
        try (Prevalent<Bank> bank = open()) {
            assertThrows(CodecException.class, () -> bank.execute(new Bank.Opaque(new Bank.Stray("unregistered inside"))));
            assertEquals(0, bank.lastSequence());
        }
        assertEquals(0, journalLast());
    }

    @Test
    void checkRejectionGivesRejectedExceptionAndChangesNothing() {
        try (Prevalent<Bank> bank = open()) {
            bank.execute(new Bank.Deposit("alice", 10));
            RejectedException e = assertThrows(RejectedException.class,
                    () -> bank.execute(new Bank.Withdraw("alice", 11)));
            assertTrue(e.getMessage().contains("no overdraft"), e.getMessage());
            assertEquals(10L, (long) bank.query(b -> b.balance("alice")));
            assertEquals(1, bank.lastSequence());
        }
        assertEquals(1, journalLast());
    }

    @Test
    void throwingCommandReachesCallerAndReplaysToTheSameState() {
        Bank live;
        try (Prevalent<Bank> bank = open()) {
            bank.execute(new Bank.Deposit("alice", 10));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bank.execute(new Bank.DepositIfOpen("bob", 5)));
            assertTrue(e.getMessage().contains("no such account bob"));
            bank.execute(new Bank.DepositIfOpen("alice", 5));
            live = bank.query(b -> b);
            assertEquals(3, bank.lastSequence()); // the throwing command is journaled
        }
        try (Prevalent<Bank> bank = open()) {
            assertEquals(live, bank.query(b -> b));
            assertEquals(15L, (long) bank.query(b -> b.balance("alice")));
        }
    }

    @Test
    void concurrentWritersEndInTheStateASequentialReplayGives() throws Exception {
        int threads = 8;
        int each = 120;
        Bank live;
        try (Prevalent<Bank> bank = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String account = "acct" + (t % 3);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        bank.execute(new Bank.Deposit(account, 1));
                        if (i % 50 == 0) {
                            bank.query(Bank::total);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            live = bank.query(b -> b);
            assertEquals(threads * each, bank.lastSequence());
            assertEquals(threads * each, live.total());
        }
        try (Prevalent<Bank> bank = open()) {
            assertEquals(live, bank.query(b -> b));
        }
    }

    @Test
    void writersChecksQueriesAndSnapshotsTogetherEndInTheReplayedState() throws Exception {
        Bank live;
        java.util.concurrent.atomic.AtomicLong moved = new java.util.concurrent.atomic.AtomicLong();
        try (Prevalent<Bank> bank = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String account = "acct" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        moved.addAndGet(bank.execute(new Bank.Deposit(account, 2)) > 0 ? 2 : 0);
                        try {
                            bank.execute(new Bank.Withdraw(account, 3));
                            moved.addAndGet(-3);
                        } catch (RejectedException | IllegalStateException refused) {
                            // not enough money yet: refused by the check, or by execute if a race got past it
                        }
                    }
                }));
            }
            done.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    bank.snapshot();
                }
            }));
            done.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    assertTrue(bank.query(Bank::total) >= 0);
                }
            }));
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            live = bank.query(b -> b);
            assertEquals(moved.get(), live.total());
        }
        try (Prevalent<Bank> bank = open()) {
            assertEquals(live, bank.query(b -> b));
        }
    }

    @Test
    void transientModeWorksAndKeepsNothing() {
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).inMemory().register(Bank.EVENTS).open()) {
            bank.execute(new Bank.Deposit("alice", 3));
            assertThrows(CodecException.class, () -> bank.execute(new Bank.Stray("x")));
            assertEquals(1, bank.snapshot());
            bank.execute(new Bank.Deposit("alice", 3));
            assertEquals(6L, (long) bank.query(b -> b.balance("alice")));
        }
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).inMemory().register(Bank.EVENTS).open()) {
            assertEquals(0L, (long) bank.query(Bank::total));
        }
    }
}
