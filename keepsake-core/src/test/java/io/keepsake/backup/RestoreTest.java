package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.Keepsake;
import io.keepsake.KeepsakeException;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import io.keepsake.prevalent.Bank;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RestoreTest {
    private static final Class<?>[] EVENTS = {Bank.Deposit.class, Bank.Withdraw.class, Bank.Stamp.class};
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    @TempDir
    Path dir;

    private static Bank copy(Bank bank) {
        Bank copy = new Bank();
        copy.balances = new TreeMap<>(bank.balances);
        copy.times = new ArrayList<>(bank.times);
        copy.commands = bank.commands;
        return copy;
    }

    /** Runs 100 commands on a system over a file journal, backs it up, and returns the state after each sequence. */
    private Map<Long, Bank> runAndBackUp(Store store, KeyProvider keys) {
        Map<Long, Bank> states = new HashMap<>();
        try (Journal journal = Journal.files(dir.resolve("source/journal")).open()) {
            Backup backup = Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(7).build());
            var builder = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory())
                    .register(EVENTS).compression(Compression.LZ4);
            if (keys != null) {
                builder.keys(keys);
            }
            try (Prevalent<Bank> bank = builder.open()) {
                for (int i = 1; i <= 100; i++) {
                    if (i % 10 == 0) {
                        bank.execute(new Bank.Stamp("at " + i));
                    } else if (i % 3 == 0) {
                        bank.execute(new Bank.Withdraw("acct-1", 1));
                    } else {
                        bank.execute(new Bank.Deposit("acct-" + (i % 5), 10L * i));
                    }
                    states.put(bank.lastSequence(), bank.query(RestoreTest::copy));
                }
            } finally {
                backup.close(); // ships what is left
            }
        }
        return states;
    }

    private Bank openRestored(Path restored, KeyProvider keys) {
        var builder = Keepsake.prevalent(Bank::new).directory(restored).register(EVENTS);
        if (keys != null) {
            builder.keys(keys);
        }
        try (Prevalent<Bank> bank = builder.open()) {
            return bank.query(RestoreTest::copy);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void restoreToASequenceEqualsTheSourceThenContinuesThenHasNothingNew(StoreKind kind) {
        try (Store store = kind.open(dir)) {
            Map<Long, Bank> states = runAndBackUp(store, null);
            Path restored = dir.resolve("restored");

            RestoreResult first = Restore.from(store, "backup").toSequence(60).into(restored);
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 60, 60, null), first);
            assertEquals(states.get(60L), openRestored(restored, null));

            RestoreResult rest = Restore.from(store, "backup").into(restored);
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 100, 40, null), rest, "continues after 60");
            assertEquals(states.get(100L), openRestored(restored, null));

            RestoreResult again = Restore.from(store, "backup").into(restored);
            assertEquals(new RestoreResult(RestoreStatus.NOTHING_NEW, 100, 0, null), again);
            assertEquals(RestoreStatus.NOTHING_NEW,
                    Restore.from(store, "backup").toSequence(30).into(restored).status());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTamperedObjectFailsNamingItAndNothingAfterItIsApplied(StoreKind kind) {
        try (Store store = kind.open(dir)) {
            Map<Long, Bank> states = runAndBackUp(store, null);
            String key = SegmentName.of("backup", 15, 21).key();
            byte[] bytes = store.get(key).orElseThrow().value();
            bytes[bytes.length / 2] ^= 1;
            store.put(key, bytes, Expected.any());

            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(RestoreStatus.FAILED, result.status());
            assertEquals(14, result.lastSequence(), "the objects before it were applied, nothing from or after it");
            CorruptionException e = assertInstanceOf(CorruptionException.class, result.failure());
            assertEquals(key, e.file());
            assertThrows(CorruptionException.class, result::orThrow);
            assertEquals(states.get(14L), openRestored(dir.resolve("restored"), null));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTruncatedObjectFailsNamingIt(StoreKind kind) {
        try (Store store = kind.open(dir)) {
            runAndBackUp(store, null);
            String key = SegmentName.of("backup", 1, 7).key();
            byte[] bytes = store.get(key).orElseThrow().value();
            store.put(key, Arrays.copyOf(bytes, bytes.length - 9), Expected.any());

            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(RestoreStatus.FAILED, result.status());
            assertEquals(0, result.lastSequence());
            assertEquals(key, assertInstanceOf(CorruptionException.class, result.failure()).file());
        }
    }

    @Test
    void anObjectHoldingFewerRecordsThanItsNameIsAPartialSegment() {
        try (Store store = Store.memory()) {
            List<JournalRecord> records = new ArrayList<>();
            for (long s = 1; s <= 10; s++) {
                records.add(new JournalRecord(s, new byte[] {(byte) s}));
            }
            store.put(SegmentName.of("backup", 1, 5).key(), SegmentFrame.encode(records.subList(0, 5)),
                    Expected.absent());
            store.put(SegmentName.of("backup", 6, 10).key(), SegmentFrame.encode(records.subList(5, 8)),
                    Expected.absent());

            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(new RestoreResult(RestoreStatus.PARTIAL_SEGMENT, 8, 8, null), result);
            assertEquals(new RestoreResult(RestoreStatus.PARTIAL_SEGMENT, 8, 0, null),
                    Restore.from(store, "backup").into(dir.resolve("restored")), "a rerun stops at the same place");
        }
    }

    @Test
    void encryptedRecordsRestoreWithTheSameKeysAndFailWithoutThem() {
        KeyProvider keys = KeyProvider.of(Map.of(1, KEY), 1);
        try (Store store = Store.memory()) {
            Map<Long, Bank> states = runAndBackUp(store, keys);
            Path restored = dir.resolve("restored");
            assertEquals(RestoreStatus.RESTORED, Restore.from(store, "backup").into(restored).status());
            assertEquals(states.get(100L), openRestored(restored, keys));
            assertThrows(KeepsakeException.class, () -> openRestored(restored, null));
        }
    }

    @Test
    void anEmptyBackupHasNothingNew() {
        try (Store store = Store.memory()) {
            RestoreResult result = Restore.from(store, "backup").into(dir.resolve("restored"));
            assertEquals(new RestoreResult(RestoreStatus.NOTHING_NEW, 0, 0, null), result);
            assertNull(result.failure());
            assertTrue(Backup.gaps(store, "backup").isEmpty());
        }
    }
}
