package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.journal.Journal;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-process backup of a prevalent system: it follows the journal, guards pruning, and stops on close. */
class PrevalentBackupTest {
    @TempDir
    Path dir;

    /** Fast retries on the system ticker: the tests wait for outcomes, never for a time. */
    private static final BackupOptions OPTIONS = BackupOptions.builder().eventsPerSegment(10)
            .interval(Duration.ofMillis(5)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();

    private Store target(String kind) {
        return kind.equals("memory") ? Store.memory() : FileStore.at(dir.resolve("backup-store"));
    }

    /** A store whose puts fail while {@link #failing} is set, as an unreachable server would. */
    private static final class OutageStore implements Store {
        private final Store delegate;
        volatile boolean failing = true;

        OutageStore(Store delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Blob> get(String key) {
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            if (failing) {
                throw new StorageException("injected outage: " + key + " not stored");
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
            return "outage " + delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Waits for a condition a background thread brings about; the bound only guards against a hang. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }

    private static Bank copy(Bank bank) {
        Bank copy = new Bank();
        copy.balances = new TreeMap<>(bank.balances);
        copy.times = new ArrayList<>(bank.times);
        copy.commands = bank.commands;
        return copy;
    }

    private static void deposits(Prevalent<Bank> bank, int count) {
        for (int i = 0; i < count; i++) {
            bank.execute(new Bank.Deposit("account-with-a-long-name-" + (i % 7), i + 1));
        }
    }

    private static long shipped(Prevalent<Bank> bank) {
        return bank.backupStatus().orElseThrow().lastSequence();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void snapshotsNeverPruneWhatTheBackupLacksThenPruneOnceItCatchesUpWithoutAGap(String kind) throws Exception {
        try (Store backupStore = target(kind);
             Journal journal = Journal.files(dir.resolve("journal")).segmentSize(4096).open()) {
            OutageStore outage = new OutageStore(backupStore);
            List<WorkerStatus> told = new CopyOnWriteArrayList<>();
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).journal(journal)
                    .snapshotStore(Store.memory()).register(Bank.EVENTS).keepSnapshots(1)
                    .onBackgroundFailure(told::add).backup(outage, OPTIONS).open()) {
                deposits(bank, 300); // several 4 KiB segments
                await(() -> !told.isEmpty());
                bank.snapshot();
                deposits(bank, 50);
                bank.snapshot(); // keeps one snapshot: without a backup, segments before it would go
                assertEquals(1, journal.firstSequence(), "no segment holding unshipped records is deleted");
                WorkerStatus failing = bank.backupStatus().orElseThrow();
                assertTrue(failing.consecutiveFailures() > 0, failing.toString());
                assertTrue(told.get(0).lastFailure() instanceof StorageException, told.get(0).toString());

                outage.failing = false;
                long last = bank.lastSequence();
                await(() -> shipped(bank) == last);
                assertEquals(List.of(), Backup.gaps(backupStore, OPTIONS.prefix()));
                deposits(bank, 1);
                await(() -> shipped(bank) == last + 1);
                bank.snapshot();
                assertTrue(journal.firstSequence() > 1, "once shipped, the next snapshot prunes: first is "
                        + journal.firstSequence());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aRestoreOfTheBackupEqualsTheSourceState(String kind) {
        try (Store backupStore = target(kind)) {
            Bank source;
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                    .register(Bank.EVENTS).segmentSize(4096).keepSnapshots(1).backup(backupStore, OPTIONS)
                    .open()) {
                deposits(bank, 120);
                bank.snapshot();
                bank.execute(new Bank.Withdraw("account-with-a-long-name-1", 3));
                source = bank.query(PrevalentBackupTest::copy);
            } // close ships what is acknowledged
            Path restored = dir.resolve("restored");
            assertEquals(RestoreStatus.RESTORED, Restore.from(backupStore, OPTIONS.prefix()).into(restored).status());
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(restored).register(Bank.EVENTS)
                    .open()) {
                assertEquals(source, bank.query(PrevalentBackupTest::copy));
            }
        }
    }

    private static boolean backupThreadRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("keepsake-backup"));
    }

    @Test
    void closeStopsTheBackupThreadBeforeTheJournalAndLeavesTheBackupStoreOpen() {
        try (Store backupStore = Store.memory()) {
            Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                    .register(Bank.EVENTS).backup(backupStore, OPTIONS).open();
            assertTrue(backupThreadRunning());
            deposits(bank, 25);
            bank.close();
            assertFalse(backupThreadRunning(), "no backup thread outlives close");
            WorkerStatus status = bank.backupStatus().orElseThrow();
            assertTrue(status.stopped(), status.toString());
            assertEquals(25, status.lastSequence(), "close shipped every acknowledged event");
            assertEquals(List.of(), Backup.gaps(backupStore, OPTIONS.prefix()));
            assertFalse(backupStore.list(OPTIONS.prefix()).isEmpty(), "the caller's store is still open");
        }
    }

    @Test
    void closeDuringAnOutageMakesOneLastAttemptAndStopsTheThread() {
        OutageStore outage = new OutageStore(Store.memory());
        Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                .register(Bank.EVENTS).backup(outage, OPTIONS).open();
        deposits(bank, 5);
        bank.close();
        assertFalse(backupThreadRunning(), "a failing backup store does not keep the thread alive");
        WorkerStatus status = bank.backupStatus().orElseThrow();
        assertTrue(status.stopped() && status.consecutiveFailures() > 0, status.toString());
        assertEquals(-1, status.lastSequence(), "nothing shipped");
    }

    @Test
    void withoutABackupThereIsNoBackupStatus() {
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).inMemory().register(Bank.EVENTS).open()) {
            assertEquals(Optional.empty(), bank.backupStatus());
        }
    }

    @Test
    void backupWithInMemoryIsRefusedEitherWay() {
        IllegalStateException after = assertThrows(IllegalStateException.class,
                () -> Keepsake.prevalent(Bank::new).inMemory().backup(Store.memory(), OPTIONS));
        assertTrue(after.getMessage().contains("backup(...) cannot be combined with inMemory()"), after.getMessage());
        IllegalStateException before = assertThrows(IllegalStateException.class,
                () -> Keepsake.prevalent(Bank::new).backup(Store.memory(), OPTIONS).inMemory());
        assertEquals(after.getMessage(), before.getMessage());
        assertThrows(IllegalStateException.class, () -> Keepsake.prevalent(Bank::new).directory(dir)
                .backup(Store.memory(), OPTIONS).backup(Store.memory(), OPTIONS));
    }
}
