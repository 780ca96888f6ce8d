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

class ImmutablePrevalentTest {
    @TempDir
    Path dir;

    private PrevalentValue<Ledger, Ledger.Event> open() {
        return open(dir);
    }

    private PrevalentValue<Ledger, Ledger.Event> open(Path where) {
        return Keepsake.prevalent(Ledger.EMPTY, Ledger::apply).directory(where)
                .register(Ledger.Credit.class, Ledger.Debit.class).open();
    }

    private long journalLast() {
        try (Journal journal = Journal.files(dir.resolve("journal")).open()) {
            return journal.lastSequence();
        }
    }

    /** An event type the ledger accepts at compile time but nobody registered. */
    record Unregistered(String account, long amount) {
    }

    @Test
    void executeReturnsTheNewStateAndResultAndPublishesIt() {
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
            Outcome<Ledger> out = ledger.execute(new Ledger.Credit("alice", 50));
            assertEquals(50L, out.result(Long.class));
            assertEquals(50L, out.state().balance("alice"));
            assertEquals(out.state(), ledger.state());
            assertEquals(1, ledger.lastSequence());
        }
    }

    @Test
    void reopenedStateEqualsLiveStateAcrossSnapshotAndCrash() {
        PrevalentValue<Ledger, Ledger.Event> crashed = open();
        crashed.execute(new Ledger.Credit("alice", 50));
        crashed.execute(new Ledger.Debit("alice", 20));
        assertEquals(2, crashed.snapshot());
        crashed.execute(new Ledger.Credit("bob", 7));
        Ledger live = crashed.state();
        Path image = CrashImage.copy(dir, dir.resolveSibling(dir.getFileName() + "-crash"));
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open(image)) {
            assertEquals(live, ledger.state());
            assertEquals(3, ledger.lastSequence());
        } finally {
            crashed.close();
        }
    }

    @Test
    void throwingTransitionIsRejectedAndNothingIsJournaled() {
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
            ledger.execute(new Ledger.Credit("alice", 5));
            Ledger before = ledger.state();
            RejectedException e = assertThrows(RejectedException.class,
                    () -> ledger.execute(new Ledger.Debit("alice", 6)));
            assertTrue(e.getMessage().contains("no overdraft"), e.getMessage());
            assertEquals(before, ledger.state());
            assertEquals(1, ledger.lastSequence());
            assertEquals(11L, ledger.execute(new Ledger.Credit("alice", 6)).result(Long.class));
        }
        assertEquals(2, journalLast());
    }

    @Test
    void transitionThrowingAnErrorReachesItsCallerAndChangesNothing() {
        try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.<Ledger, Ledger.Event>prevalent(Ledger.EMPTY,
                (s, e, t) -> {
                    if (e instanceof Ledger.Debit) {
                        throw new AssertionError("bug in the transition");
                    }
                    return Ledger.apply(s, e, t);
                }).directory(dir).register(Ledger.Credit.class, Ledger.Debit.class).open()) {
            ledger.execute(new Ledger.Credit("a", 1));
            RejectedException e = assertThrows(RejectedException.class, () -> ledger.execute(new Ledger.Debit("a", 1)));
            assertTrue(e.getCause() instanceof AssertionError);
            assertEquals(1, ledger.lastSequence());
            assertEquals(2L, ledger.execute(new Ledger.Credit("a", 1)).result(Long.class));
        }
    }

    @Test
    void unregisteredEventIsRejectedBeforeAnythingIsWritten() {
        try (PrevalentValue<Object, Object> value = Keepsake.<Object, Object>prevalent(Ledger.EMPTY,
                (s, e, t) -> Outcome.of(s)).directory(dir).register(Ledger.Credit.class).open()) {
            assertThrows(CodecException.class, () -> value.execute(new Unregistered("a", 1)));
            assertEquals(0, value.lastSequence());
        }
        assertEquals(0, journalLast());
    }

    @Test
    void recordedTimesAreReplayed() {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                .directory(dir).clock(clock).register(Ledger.Credit.class, Ledger.Debit.class).open()) {
            ledger.execute(new Ledger.Credit("a", 1));
            clock.set(Instant.parse("2026-03-01T10:00:05Z"));
            assertEquals(Instant.parse("2026-03-01T10:00:05Z"), ledger.execute(new Ledger.Credit("a", 1)).state()
                    .lastTime());
        }
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
            assertEquals(Instant.parse("2026-03-01T10:00:05Z"), ledger.state().lastTime());
        }
    }

    @Test
    void concurrentWritersEndInTheStateASequentialReplayGives() throws Exception {
        int threads = 8;
        int each = 120;
        Ledger live;
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String account = "acct" + (t % 3);
                done.add(pool.submit(() -> {
                    long seen = 0;
                    for (int i = 0; i < each; i++) {
                        Outcome<Ledger> out = ledger.execute(new Ledger.Credit(account, 1));
                        assertTrue(out.state().events() > seen);
                        seen = out.state().events();
                        assertTrue(ledger.lastSequence() >= seen, "published state lags the caller's own event");
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            live = ledger.state();
            assertEquals(threads * each, live.events());
            assertEquals(threads * each, ledger.lastSequence());
        }
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
            assertEquals(live, ledger.state());
        }
    }

    @Test
    void snapshotsWhileWritersRunRecoverToTheLiveState() throws Exception {
        Ledger live;
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(5);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String account = "acct" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        ledger.execute(new Ledger.Credit(account, 2));
                        try {
                            ledger.execute(new Ledger.Debit(account, 3));
                        } catch (RejectedException refused) {
                            // not enough money yet
                        }
                    }
                }));
            }
            done.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    ledger.snapshot();
                }
            }));
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            live = ledger.state();
        }
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open()) {
            assertEquals(live, ledger.state());
        }
    }

    @Test
    void aPlainJdkMapStateNeedsNoRegistrationAndSurvivesSnapshotAndReopen() {
        Transition<java.util.Map<String, Object>, Ledger.Credit> add = (state, credit, time) -> {
            java.util.Map<String, Object> next = new java.util.TreeMap<>(state);
            next.merge(credit.account(), credit.amount(), (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
            return Outcome.of(next);
        };
        java.util.Map<String, Object> live;
        try (PrevalentValue<java.util.Map<String, Object>, Ledger.Credit> value = Keepsake.prevalent(
                java.util.Map.<String, Object>of(), add).directory(dir).register(Ledger.Credit.class).open()) {
            value.execute(new Ledger.Credit("a", 2));
            value.snapshot();
            value.execute(new Ledger.Credit("a", 3));
            live = value.state();
        }
        try (PrevalentValue<java.util.Map<String, Object>, Ledger.Credit> value = Keepsake.prevalent(
                java.util.Map.<String, Object>of(), add).directory(dir).register(Ledger.Credit.class).open()) {
            assertEquals(5L, ((Number) value.state().get("a")).longValue());
            assertEquals(live.keySet(), value.state().keySet());
        }
    }

    @Test
    void transientModeWorks() {
        try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                .inMemory().register(Ledger.Credit.class, Ledger.Debit.class).open()) {
            ledger.execute(new Ledger.Credit("a", 2));
            assertEquals(1, ledger.snapshot());
            ledger.execute(new Ledger.Credit("a", 2));
            assertEquals(4L, (long) ledger.query(l -> l.balance("a")));
        }
    }
}
