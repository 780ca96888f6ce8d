package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.internal.concurrent.ManualTicker;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Background snapshots run on a worker driven by the injected ticker (the test advances time, it never sleeps for
 * an interval) and report every outcome in {@link PrevalentSystem#snapshotStatus()}. The timeouts only guard
 * against a hang.
 */
class BackgroundSnapshotTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofHours(1);

    /** A memory store whose first {@code failures} writes fail. */
    static class FlakyStore implements Store {
        final Store delegate = Store.memory();
        final AtomicInteger failuresLeft;

        FlakyStore(int failures) {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public Optional<Blob> get(String key) {
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StorageException("simulated: store unreachable");
            }
            return delegate.put(key, value, expected);
        }

        @Override
        public boolean delete(String key, Expected expected) {
            return delegate.delete(key, expected);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String describe() {
            return "flaky " + delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static WorkerStatus awaitStatus(PrevalentSystem<?> system, Predicate<WorkerStatus> until)
            throws InterruptedException {
        WorkerStatus s;
        while (!until.test(s = system.snapshotStatus())) {
            Thread.sleep(1);
        }
        return s;
    }

    @Test
    void intervalSnapshotsFireWhenTheTickerIsAdvanced() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            ManualTicker ticker = ManualTicker.manual();
            Store store = Store.memory();
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(new MemoryJournal())
                    .snapshotStore(store).register(Bank.EVENTS).snapshotInterval(INTERVAL).ticker(ticker).open()) {
                bank.execute(new Bank.Deposit("alice", 1));
                assertEquals(0, bank.snapshotStatus().successes());
                ticker.advance(INTERVAL);
                WorkerStatus s = awaitStatus(bank, st -> st.successes() == 1);
                assertEquals(1, s.lastSequence());
                assertTrue(s.lastBytes() > 0, "size " + s.lastBytes());
                assertNotNull(s.lastSuccessAt());
                assertFalse(s.unhealthy());
                bank.execute(new Bank.Deposit("alice", 1));
                ticker.advance(INTERVAL);
                assertEquals(2, awaitStatus(bank, st -> st.successes() == 2).lastSequence());
            }
        });
    }

    @Test
    void aStoreThatFailsThreeTimesShowsThreeConsecutiveFailuresTellsTheListenerThenRecovers() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            ManualTicker ticker = ManualTicker.manual();
            FlakyStore store = new FlakyStore(3);
            List<WorkerStatus> told = new CopyOnWriteArrayList<>();
            try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                    .journal(new MemoryJournal()).snapshotStore(store)
                    .register(Ledger.Credit.class, Ledger.Debit.class).snapshotInterval(INTERVAL).ticker(ticker)
                    .onBackgroundFailure(told::add).open()) {
                ledger.execute(new Ledger.Credit("alice", 1));
                for (int i = 1; i <= 3; i++) {
                    int failures = i;
                    ticker.advance(INTERVAL);
                    WorkerStatus s = awaitStatus(ledger, st -> st.consecutiveFailures() == failures);
                    assertTrue(s.unhealthy());
                    assertTrue(s.lastFailure() instanceof StorageException, String.valueOf(s.lastFailure()));
                    assertNotNull(s.lastFailureAt());
                }
                assertEquals(3, told.size());
                assertEquals(List.of(1, 2, 3), told.stream().map(WorkerStatus::consecutiveFailures).toList());
                ticker.advance(INTERVAL);
                WorkerStatus s = awaitStatus(ledger, st -> st.successes() == 1);
                assertEquals(0, s.consecutiveFailures());
                assertEquals(1, s.lastSequence());
                assertSame(told.get(2).lastFailure(), s.lastFailure()); // the last failure is kept for the record
                assertEquals(3, told.size());
            }
        });
    }

    @Test
    void everyNEventsSnapshotsRunInTheBackgroundAndShowInTheStatus() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).inMemory().register(Bank.EVENTS)
                    .snapshotEvery(2).ticker(ManualTicker.manual()).open()) {
                bank.execute(new Bank.Deposit("alice", 1));
                bank.execute(new Bank.Deposit("alice", 1));
                WorkerStatus s = awaitStatus(bank, st -> st.successes() >= 1);
                assertTrue(s.lastSequence() >= 2);
                assertNull(s.lastFailure());
            }
        });
    }

    @Test
    void closingStopsTheWorkerAndTheStatusSaysSo() {
        Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).inMemory().register(Bank.EVENTS)
                .snapshotInterval(INTERVAL).ticker(ManualTicker.manual()).open();
        assertFalse(bank.snapshotStatus().stopped());
        bank.close();
        assertTrue(bank.snapshotStatus().stopped());
    }

    @Test
    void anErrorInABackgroundSnapshotFailStopsTheSystemAndStopsTheWorker() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            ManualTicker ticker = ManualTicker.manual();
            AssertionError bug = new AssertionError("bug in a store");
            Store broken = new FlakyStore(0) {
                @Override
                public String put(String key, byte[] value, Expected expected) {
                    throw bug;
                }
            };
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(new MemoryJournal())
                    .snapshotStore(broken).register(Bank.EVENTS).snapshotInterval(INTERVAL).ticker(ticker).open()) {
                bank.execute(new Bank.Deposit("alice", 1));
                ticker.advance(INTERVAL);
                awaitStatus(bank, WorkerStatus::stopped);
                io.keepsake.FailStopException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.keepsake.FailStopException.class, () -> bank.execute(new Bank.Deposit("alice", 1)));
                assertSame(bug, e.getCause());
                assertEquals(1L, (long) bank.query(b -> b.balance("alice"))); // the model itself is intact
            }
        });
    }

    @Test
    void aListenerThatCallsBackIntoItsSystemGetsIllegalState() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            ManualTicker ticker = ManualTicker.manual();
            java.util.concurrent.atomic.AtomicReference<PrevalentValue<Ledger, Ledger.Event>> self =
                    new java.util.concurrent.atomic.AtomicReference<>();
            List<Throwable> got = new CopyOnWriteArrayList<>();
            try (PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                    .journal(new MemoryJournal()).snapshotStore(new FlakyStore(1))
                    .register(Ledger.Credit.class, Ledger.Debit.class).snapshotInterval(INTERVAL).ticker(ticker)
                    .onBackgroundFailure(status -> {
                        try {
                            self.get().snapshot();
                        } catch (RuntimeException e) {
                            got.add(e);
                        }
                    }).open()) {
                self.set(ledger);
                ledger.execute(new Ledger.Credit("alice", 1));
                ticker.advance(INTERVAL);
                awaitStatus(ledger, st -> st.consecutiveFailures() == 1);
                while (got.isEmpty()) {
                    Thread.sleep(1);
                }
                assertTrue(got.get(0) instanceof IllegalStateException, String.valueOf(got.get(0)));
                assertEquals(1L, ledger.execute(new Ledger.Credit("alice", 0)).result(Long.class) - 0);
            }
        });
    }
}
