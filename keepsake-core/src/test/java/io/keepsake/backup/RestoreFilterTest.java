package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.keepsake.Keepsake;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalReader;
import io.keepsake.journal.JournalRecord;
import io.keepsake.prevalent.Bank;
import io.keepsake.prevalent.EventPayloads;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Filtered restores: dropped types and fields, rewritten fields, renumbering and the mapping. */
class RestoreFilterTest {
    private static final Class<?>[] EVENTS = {Bank.Deposit.class, Bank.Withdraw.class, Bank.Stamp.class};
    private static final KeyProvider KEYS;

    static {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 5);
        KEYS = KeyProvider.of(Map.of(2, key), 2);
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

    /** The i-th command of every test, i from 1. */
    private static Object command(int i) {
        if (i % 10 == 0) {
            return new Bank.Stamp("at " + i);
        } else if (i % 3 == 0) {
            return new Bank.Withdraw("acct-1", 1);
        }
        return new Bank.Deposit("acct-" + (i % 5), 10L * i);
    }

    /** Runs 100 commands over a file journal, backed up in segments of 7. */
    private void runAndBackUp(Store store, KeyProvider keys) {
        try (Journal journal = Journal.files(dir.resolve("source/journal")).open()) {
            Backup backup = Backup.follow(journal, store, BackupOptions.builder().eventsPerSegment(7).build());
            var builder = Keepsake.prevalent(Bank::new).journal(journal).snapshotStore(Store.memory())
                    .register(EVENTS).compression(Compression.LZ4);
            if (keys != null) {
                builder.keys(keys);
            }
            try (Prevalent<Bank> bank = builder.open()) {
                for (int i = 1; i <= 100; i++) {
                    Object c = command(i);
                    if (c instanceof Bank.Stamp s) {
                        bank.execute(s);
                    } else if (c instanceof Bank.Withdraw w) {
                        bank.execute(w);
                    } else {
                        bank.execute((Bank.Deposit) c);
                    }
                }
            } finally {
                backup.close();
            }
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The state the filtered journal must replay to: no stamps, hashed deposit accounts, withdrawals of 0. */
    private static Bank expected(int upTo) throws Exception {
        Bank bank = new Bank();
        for (int i = 1; i <= upTo; i++) {
            Object c = command(i);
            if (c instanceof Bank.Deposit d) {
                new Bank.Deposit(sha256(d.account()), d.amount()).execute(bank, Instant.EPOCH);
            } else if (c instanceof Bank.Withdraw w) {
                new Bank.Withdraw(w.account(), 0).execute(bank, Instant.EPOCH);
            }
        }
        return bank;
    }

    /** The mapping lines a run up to {@code upTo} must have written. */
    private static List<String> expectedMapping(int upTo) {
        List<String> lines = new ArrayList<>();
        lines.add("# keepsake restore mapping; filters: drop-type=Stamp drop-field=Withdraw.amount "
                + "rewrite=Deposit.account=sha256");
        lines.add("source_sequence,target_sequence");
        long target = 0;
        for (int i = 1; i <= upTo; i++) {
            lines.add(i + "," + (command(i) instanceof Bank.Stamp ? "" : String.valueOf(++target)));
        }
        return lines;
    }

    private static Restore filtered(Store store, KeyProvider keys) {
        Restore restore = Restore.from(store, "backup").dropType("Stamp").dropField("Withdraw", "amount")
                .rewrite("Deposit", "account", FieldRewrite.sha256());
        return keys == null ? restore : restore.keys(keys);
    }

    private Bank openRestored(Path restored, KeyProvider keys) {
        var builder = Keepsake.prevalent(Bank::new).directory(restored).register(EVENTS);
        if (keys != null) {
            builder.keys(keys);
        }
        try (Prevalent<Bank> bank = builder.open()) {
            return bank.query(RestoreFilterTest::copy);
        }
    }

    /** @return the type names of the restored journal's events, in order, and checks they carry the key id */
    private static List<String> typesIn(Path restored, KeyProvider keys) {
        List<String> types = new ArrayList<>();
        EventPayloads payloads = EventPayloads.opening(keys);
        try (Journal journal = Journal.files(restored.resolve("journal")).open();
             JournalReader reader = journal.read(1)) {
            while (reader.hasNext()) {
                JournalRecord r = reader.next();
                EventPayloads.Event e = payloads.open(r.sequence(), r.payload(), "restored");
                assertEquals(keys == null ? 0 : 2, e.keyId(), "resealed under the original key id");
                types.add(e.typeName());
            }
        }
        return types;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFilteredRestoreOpensWithoutDroppedTypesOrFieldsAndWithRewrittenValuesAndMapsEverySequence(
            boolean encrypted) throws Exception {
        KeyProvider keys = encrypted ? KEYS : null;
        try (Store store = Store.memory()) {
            runAndBackUp(store, keys);
            Path restored = dir.resolve("restored");

            RestoreResult result = filtered(store, keys).into(restored);
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 90, 90, null), result);
            Bank bank = openRestored(restored, keys);
            assertEquals(expected(100), bank);
            assertEquals(List.of(), bank.times, "no Stamp was replayed");
            assertTrue(bank.balances.containsKey(sha256("acct-2")), bank.toString());
            assertFalse(bank.balances.containsKey("acct-2"));
            assertEquals(0, bank.balance("acct-1"), "withdrawals lost their amount: 0");
            List<String> types = typesIn(restored, keys);
            assertEquals(90, types.size());
            assertFalse(types.contains("Stamp"));
            assertEquals(expectedMapping(100), Files.readAllLines(restored.resolve(RestoreMapping.FILE)));

            assertEquals(new RestoreResult(RestoreStatus.NOTHING_NEW, 90, 0, null),
                    filtered(store, keys).into(restored));
        }
    }

    @Test
    void aFilteredRestoreContinuesWhereItsMappingEndsAndNeverWritesAnEventTwice() throws Exception {
        try (Store store = Store.memory()) {
            runAndBackUp(store, null);
            Path restored = dir.resolve("restored");
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 45, 45, null),
                    filtered(store, null).toSequence(50).into(restored));
            assertEquals(expectedMapping(50), Files.readAllLines(restored.resolve(RestoreMapping.FILE)));
            assertEquals(expected(50), openRestored(restored, null));

            // a crash after the journal was forced but before the mapping was: the mapping ends at 31 with a torn
            // line, the journal at 45
            Path mapping = restored.resolve(RestoreMapping.FILE);
            List<String> lines = expectedMapping(31);
            Files.writeString(mapping, String.join("\n", lines) + "\n32,2");
            RestoreResult rest = filtered(store, null).into(restored);
            assertEquals(new RestoreResult(RestoreStatus.RESTORED, 90, 45, null), rest, "only 46..90 are appended");
            assertEquals(expectedMapping(100), Files.readAllLines(mapping));
            assertEquals(expected(100), openRestored(restored, null));
        }
    }

    @Test
    void aFilteredRestoreToATimeCutsBySourceTime() throws Exception {
        try (Store store = Store.memory()) {
            runAndBackUp(store, null);
            Path restored = dir.resolve("restored");
            assertEquals(RestoreStatus.NOTHING_NEW, filtered(store, null).toTime(Instant.EPOCH).into(restored)
                    .status());
            assertEquals(90, filtered(store, null).toTime(Instant.now().plusSeconds(3600)).into(restored)
                    .lastSequence());
        }
    }

    @Test
    void withoutHistoryFromTheFirstEventOrWithoutKeysAFilteredRestoreFailsBeforeWritingAnything() {
        try (Store store = Store.memory()) {
            runAndBackUp(store, KEYS);
            Path restored = dir.resolve("restored");

            RestoreResult noKeys = filtered(store, null).into(restored);
            assertEquals(RestoreStatus.FAILED, noKeys.status());
            assertEquals(2, assertInstanceOf(RestoreKeyException.class, noKeys.failure()).keyId());
            assertFalse(Files.exists(restored), "nothing was written");

            store.delete(SegmentName.of("backup", 1, 7).key(), Expected.any());
            RestoreResult pruned = filtered(store, KEYS).into(restored);
            assertEquals(RestoreStatus.FAILED, pruned.status());
            RestoreRefusedException e = assertInstanceOf(RestoreRefusedException.class, pruned.failure());
            assertTrue(e.getMessage().contains("lacks [1, 8)"), e.getMessage());
            assertFalse(Files.exists(restored), "nothing was written");
        }
    }

    @Test
    void aTargetAPlainRestoreWroteOrOneFilteredOtherwiseIsRefused() {
        try (Store store = Store.memory()) {
            runAndBackUp(store, null);
            Path plain = dir.resolve("plain");
            Restore.from(store, "backup").toSequence(10).into(plain).orThrow();
            RestoreResult onPlain = filtered(store, null).into(plain);
            assertInstanceOf(RestoreRefusedException.class, onPlain.failure());
            assertEquals(10, Restore.from(store, "backup").toSequence(10).into(plain).lastSequence());

            Path filtered = dir.resolve("filtered");
            filtered(store, null).toSequence(10).into(filtered).orThrow();
            RestoreResult other = Restore.from(store, "backup").dropType("Stamp").into(filtered);
            assertInstanceOf(RestoreRefusedException.class, other.failure(), "other filters");
            RestoreResult unfiltered = Restore.from(store, "backup").into(filtered);
            assertInstanceOf(RestoreRefusedException.class, unfiltered.failure(), "a plain restore on a filtered one");
        }
    }

    @Test
    void builtInRewritesAndAUserFunction() throws Exception {
        assertEquals(TextNode.valueOf(sha256("x")), FieldRewrite.sha256().rewrite(TextNode.valueOf("x")));
        assertNotEquals(FieldRewrite.sha256().rewrite(TextNode.valueOf("x")),
                FieldRewrite.sha256().rewrite(TextNode.valueOf("y")));
        assertTrue(FieldRewrite.toNull().rewrite(TextNode.valueOf("x")).isNull());
        assertEquals(TextNode.valueOf("c"), FieldRewrite.constant("c").rewrite(TextNode.valueOf("x")));
        try (Store store = Store.memory()) {
            runAndBackUp(store, null);
            Path restored = dir.resolve("restored");
            FieldRewrite upper = v -> TextNode.valueOf(v.textValue().toUpperCase(java.util.Locale.ROOT));
            Restore.from(store, "backup").rewrite("Deposit", "account", upper).rewrite("Withdraw", "account", upper)
                    .into(restored).orThrow();
            Bank bank = openRestored(restored, null);
            assertTrue(bank.balances.containsKey("ACCT-2"), bank.toString());
            assertEquals(10, bank.times.size(), "stamps are kept");
        }
    }
}
