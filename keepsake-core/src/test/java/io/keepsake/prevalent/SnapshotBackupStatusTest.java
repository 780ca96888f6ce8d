package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Keepsake;
import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.BackupRetention;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.backup.SequenceRange;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copies of snapshots into a backup: their health in {@link PrevalentSystem#snapshotBackupStatus()}, failures
 * told to the listeners, and the retention a system applies after each copy.
 */
class SnapshotBackupStatusTest {
    private static final String SNAPSHOTS = "backup/snapshots/";

    @TempDir
    Path dir;

    /** A store whose puts and deletes under the snapshot folder fail while {@code failing} is above zero. */
    private static final class FailingSnapshotWrites implements Store {
        private final Store delegate = Store.memory();
        final AtomicInteger failingPuts = new AtomicInteger();
        final AtomicInteger failingDeletes = new AtomicInteger();

        @Override
        public Optional<Blob> get(String key) {
            return delegate.get(key);
        }

        @Override
        public String put(String key, byte[] value, Expected expected) {
            if (key.startsWith(SNAPSHOTS) && failingPuts.getAndDecrement() > 0) {
                throw new StorageException("injected: " + key + " not stored");
            }
            return delegate.put(key, value, expected);
        }

        @Override
        public boolean delete(String key, Expected expected) {
            if (failingDeletes.getAndDecrement() > 0) {
                throw new StorageException("injected: " + key + " not deleted");
            }
            return delegate.delete(key, expected);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String describe() {
            return "failing snapshot writes";
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static BackupOptions.Builder options() {
        return BackupOptions.builder().eventsPerSegment(10).interval(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    /** Waits for what a background thread brings about; the bound only guards against a hang. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }

    private static void deposits(Prevalent<Bank> bank, int count) {
        for (int i = 0; i < count; i++) {
            bank.execute(new Bank.Deposit("account-" + (i % 5), 1));
        }
    }

    private static long copied(Prevalent<Bank> bank) {
        return bank.snapshotBackupStatus().orElseThrow().lastSequence();
    }

    @Test
    void aFailedCopyShowsInTheStatusGoesToTheListenersAndTheRetryLandsIt() throws Exception {
        List<WorkerStatus> told = new CopyOnWriteArrayList<>();
        try (FailingSnapshotWrites store = new FailingSnapshotWrites()) {
            store.failingPuts.set(3);
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                    .register(Bank.EVENTS).onBackgroundFailure(told::add).backup(store, options().build()).open()) {
                WorkerStatus fresh = bank.snapshotBackupStatus().orElseThrow();
                assertEquals(-1, fresh.lastSequence());
                assertTrue(fresh.worker().contains("snapshots"), fresh.worker());
                deposits(bank, 30);
                long seq = bank.snapshot();
                await(() -> copied(bank) == seq);
                WorkerStatus status = bank.snapshotBackupStatus().orElseThrow();
                assertEquals(0, status.consecutiveFailures());
                assertFalse(status.unhealthy());
                assertTrue(status.lastFailure().getMessage().startsWith("injected: " + SNAPSHOTS),
                        String.valueOf(status.lastFailure()));
                assertTrue(store.get(SNAPSHOTS + Snapshots.manifestKey(seq)).isPresent());
            }
            List<WorkerStatus> snapshotFailures = told.stream().filter(s -> s.worker().contains("snapshots"))
                    .toList();
            assertEquals(3, snapshotFailures.size(), "each failed put told once: " + told);
            assertEquals(List.of(1, 2, 3), snapshotFailures.stream().map(WorkerStatus::consecutiveFailures)
                    .toList());
        }
    }

    @Test
    void withoutABackupThereIsNoSnapshotBackupStatus() {
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("plain"))
                .register(Bank.EVENTS).open()) {
            assertEquals(Optional.empty(), bank.snapshotBackupStatus());
        }
    }

    @Test
    void aSystemAppliesTheRetentionAfterEachCopyAndARestoreStillWorks() throws Exception {
        try (Store store = Store.memory()) {
            BackupOptions options = options().retention(BackupRetention.keep(2)).build();
            long[] seqs = new long[4];
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                    .register(Bank.EVENTS).backup(store, options).open()) {
                for (int i = 0; i < seqs.length; i++) {
                    deposits(bank, 25);
                    long shipped = 25L * (i + 1);
                    await(() -> bank.backupStatus().orElseThrow().lastSequence() == shipped); // segments first
                    long seq = bank.snapshot();
                    seqs[i] = seq;
                    await(() -> copied(bank) == seq);
                }
                deposits(bank, 7);
                await(() -> bank.backupStatus().orElseThrow().lastSequence() == 107);
            }
            long oldestKept = seqs[2];
            for (String key : store.list("backup/")) {
                if (key.startsWith(SNAPSHOTS)) {
                    assertTrue(key.startsWith(SNAPSHOTS + Snapshots.dir(seqs[2]))
                            || key.startsWith(SNAPSHOTS + Snapshots.dir(seqs[3])), key + " kept");
                } else {
                    long last = Long.parseLong(key.substring(key.lastIndexOf('-') + 1));
                    assertTrue(last > oldestKept, key + " is after the oldest kept snapshot " + oldestKept);
                }
            }
            assertEquals(List.<SequenceRange>of(), Backup.gaps(store, "backup"));
            assertEquals(RestoreStatus.RESTORED, Restore.from(store, "backup").toSequence(oldestKept + 1)
                    .into(dir.resolve("restored")).orThrow().status());
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("restored"))
                    .register(Bank.EVENTS).open()) {
                assertEquals(oldestKept + 1, bank.query(Bank::total));
            }
        }
    }

    @Test
    void aFailedRetentionIsReportedAndRetriedWithoutCopyingAgain() throws Exception {
        List<WorkerStatus> told = new CopyOnWriteArrayList<>();
        try (FailingSnapshotWrites store = new FailingSnapshotWrites()) {
            BackupOptions options = options().retention(BackupRetention.keep(1)).onFailure(told::add).build();
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                    .register(Bank.EVENTS).backup(store, options).open()) {
                deposits(bank, 20);
                long first = bank.snapshot();
                await(() -> copied(bank) == first);
                store.failingDeletes.set(2);
                deposits(bank, 20);
                long second = bank.snapshot();
                await(() -> copied(bank) == second);
                assertEquals(0, bank.snapshotBackupStatus().orElseThrow().consecutiveFailures());
            }
            assertEquals(2, told.stream().filter(s -> s.worker().contains("snapshots")).count(), told.toString());
            assertTrue(told.stream().allMatch(s -> s.lastFailure().getMessage().startsWith("injected: ")));
            assertEquals(List.of(), store.list(SNAPSHOTS + Snapshots.dir(20)),
                    "the retention ran once the store let it");
            assertFalse(store.list(SNAPSHOTS + Snapshots.dir(40)).isEmpty());
        }
    }

    @Test
    void theStatusIsReadableAfterCloseAndSaysStopped() {
        try (Store store = Store.memory()) {
            Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                    .register(Bank.EVENTS).backup(store, options().build()).open();
            bank.close();
            assertTrue(bank.snapshotBackupStatus().orElseThrow().stopped());
        }
    }
}
