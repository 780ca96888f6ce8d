package io.keepsake.backup;

import io.keepsake.Keepsake;
import io.keepsake.journal.Journal;
import io.keepsake.prevalent.Bank;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A test fixture: a bank system with a backup runs 100 commands, with snapshots at sequences 40 and 80 copied to the
 * backup, in segments of 10 records: {@code backup/segments/...01-...10} to {@code ...91-...100}.
 */
final class BackedUpBank {
    static final BackupOptions OPTIONS = BackupOptions.builder().eventsPerSegment(10).interval(Duration.ofMillis(5))
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    static final String PREFIX = OPTIONS.prefix();
    static final Class<?>[] EVENTS = {Bank.Deposit.class, Bank.Withdraw.class, Bank.Stamp.class};

    private BackedUpBank() {
    }

    static String segmentKey(long first, long last) {
        return SegmentName.of(PREFIX, first, last).key();
    }

    static String snapshotKey(long sequence, String name) {
        return String.format("%s/snapshots/snap-%020d/%s", PREFIX, sequence, name);
    }

    /**
     * Runs the system, then replaces the segments it shipped (cut by the interval as much as by size) with ones of
     * exactly 10 records from its journal, which still holds every record.
     *
     * @return the bank system's final state
     */
    static Bank run(Path dir, Store backupStore) {
        Bank state = runSystem(dir, backupStore);
        for (String key : backupStore.list(SegmentName.folder(PREFIX))) {
            backupStore.delete(key, io.keepsake.store.Expected.any());
        }
        try (Journal journal = Journal.files(dir.resolve("journal")).open()) {
            if (journal.firstSequence() != 1) {
                throw new AssertionError("the source journal was pruned");
            }
            Backup.shipRange(journal, backupStore, OPTIONS, new SequenceRange(1, 101));
        }
        return state;
    }

    private static Bank runSystem(Path dir, Store backupStore) {
        try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new).directory(dir).register(EVENTS)
                .keepSnapshots(2).backup(backupStore, OPTIONS).open()) {
            for (int i = 1; i <= 100; i++) {
                if (i % 3 == 0) {
                    bank.execute(new Bank.Withdraw("acct-1", 1));
                } else {
                    bank.execute(new Bank.Deposit("acct-" + (i % 5), 10L * i));
                }
                if (i == 40 || i == 80) {
                    long sequence = bank.snapshot();
                    await(() -> backupStore.get(snapshotKey(sequence, "manifest")).isPresent());
                }
            }
            await(() -> bank.backupStatus().orElseThrow().lastSequence() == 100);
            return bank.query(b -> {
                Bank copy = new Bank();
                copy.balances = new java.util.TreeMap<>(b.balances);
                copy.times = new java.util.ArrayList<>(b.times);
                copy.commands = b.commands;
                return copy;
            });
        }
    }

    /** Waits for a condition a background thread brings about; the bound only guards against a hang. */
    static void await(BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
