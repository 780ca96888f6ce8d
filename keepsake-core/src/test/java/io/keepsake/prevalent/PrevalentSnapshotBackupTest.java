package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Snapshots in the backup: copied by a system with a backup, and the starting point of a restore. */
class PrevalentSnapshotBackupTest {
    @TempDir
    Path dir;

    private static final BackupOptions OPTIONS = BackupOptions.builder().eventsPerSegment(10)
            .interval(Duration.ofMillis(5)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    private static final String SNAPSHOTS = OPTIONS.prefix() + "/snapshots/";

    private Store target(String kind) {
        return kind.equals("memory") ? Store.memory() : FileStore.at(dir.resolve("backup-store"));
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

    private static void deposits(Prevalent<Bank> bank, int from, int count) {
        for (int i = from; i < from + count; i++) {
            bank.execute(new Bank.Deposit("account-with-a-long-name-" + (i % 7), i + 1));
        }
    }

    private static String manifestKey(long sequence) {
        return SNAPSHOTS + Snapshots.manifestKey(sequence);
    }

    /**
     * Runs a system with a backup through a snapshot (which prunes the source journal) and more events, waits for
     * the snapshot to be in the backup, then deletes the backup's segments wholly at or below the snapshot.
     *
     * @return the source's final state and the snapshot's sequence
     */
    private Object[] backUpAndDropEarlySegments(Store backupStore) throws Exception {
        Bank source;
        long snapshot;
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir.resolve("source"))
                .register(Bank.EVENTS).segmentSize(4096).keepSnapshots(1).backup(backupStore, OPTIONS).open()) {
            deposits(bank, 0, 300);
            await(() -> bank.backupStatus().orElseThrow().lastSequence() == 300);
            snapshot = bank.snapshot();
            await(() -> backupStore.get(manifestKey(snapshot)).isPresent());
            deposits(bank, 300, 40);
            bank.execute(new Bank.Withdraw("account-with-a-long-name-1", 3));
            source = bank.query(PrevalentSnapshotBackupTest::copy);
        }
        int deleted = 0;
        for (String key : backupStore.list(OPTIONS.prefix() + "/")) {
            if (key.startsWith(SNAPSHOTS)) {
                continue;
            }
            String name = key.substring(key.lastIndexOf('/') + 1);
            long last = Long.parseLong(name.substring(name.indexOf('-') + 1));
            if (last <= snapshot) {
                backupStore.delete(key, Expected.any());
                deleted++;
            }
        }
        assertTrue(deleted > 0, "segments below the snapshot were deleted");
        return new Object[] {source, snapshot};
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aRestoreStartsFromTheBackedUpSnapshotSoSegmentsBelowItAreNotNeededAndARerunHasNothingNew(String kind)
            throws Exception {
        try (Store backupStore = target(kind)) {
            Object[] ran = backUpAndDropEarlySegments(backupStore);
            Bank source = (Bank) ran[0];
            long snapshot = (long) ran[1];
            Path restored = dir.resolve("restored");
            RestoreResult result = Restore.from(backupStore, OPTIONS.prefix()).into(restored).orThrow();
            assertEquals(RestoreStatus.RESTORED, result.status());
            assertEquals(341, result.lastSequence());
            assertEquals(341 - snapshot, result.written(), "only the records after the snapshot are written");
            try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(restored).register(Bank.EVENTS)
                    .open()) {
                assertEquals(source, bank.query(PrevalentSnapshotBackupTest::copy));
                assertEquals(341, bank.lastSequence());
            }
            assertEquals(RestoreStatus.NOTHING_NEW, Restore.from(backupStore, OPTIONS.prefix()).into(restored)
                    .status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aTamperedBackedUpChunkIsACorruptionNamingItAndNothingIsWritten(String kind) throws Exception {
        try (Store backupStore = target(kind)) {
            long snapshot = (long) backUpAndDropEarlySegments(backupStore)[1];
            String chunk = SNAPSHOTS + Snapshots.chunkKey(snapshot, 0);
            byte[] bytes = backupStore.get(chunk).orElseThrow().value();
            bytes[Snapshots.SEALED_OFFSET + 1] ^= 0x20;
            backupStore.put(chunk, bytes, Expected.any());

            Path restored = dir.resolve("restored");
            RestoreResult result = Restore.from(backupStore, OPTIONS.prefix()).into(restored);
            assertEquals(RestoreStatus.FAILED, result.status());
            CorruptionException corruption = assertInstanceOf(CorruptionException.class, result.failure());
            assertEquals(chunk, corruption.file());
            assertEquals(0, result.written());
            assertFalse(Files.exists(restored.resolve("journal")), "no journal was started");
            if (Files.exists(restored.resolve("snapshots"))) {
                try (FileStore written = FileStore.readOnly(restored.resolve("snapshots"))) {
                    assertEquals(List.of(), written.list(""), "no snapshot object was written");
                }
            }
        }
    }
}
