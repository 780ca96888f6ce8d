package io.keepsake.cli;

import static io.keepsake.cli.MainTest.keepsake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.examples.bank.Bank;
import io.keepsake.examples.bank.BankLedger;
import io.keepsake.examples.bank.Deposit;
import io.keepsake.examples.bank.Transfer;
import io.keepsake.format.KeyProvider;
import io.keepsake.prevalent.Prevalent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore verb's --to-time, --key-file and filter options, on a bank ledger backed up to a file:// store. */
class RestoreFilterCommandTest {
    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 11);
    }

    @TempDir
    Path tmp;

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** 60 commands, the n-th at START + n minutes: deposits, every 4th a transfer from alice to bob; backed up. */
    private void sourceBackedUp(KeyProvider keys) {
        HandClock clock = new HandClock();
        var builder = BankLedger.builder(tmp.resolve("source")).clock(clock);
        if (keys != null) {
            builder.keys(keys);
        }
        try (Prevalent<Bank> bank = builder.open()) {
            for (int i = 1; i <= 60; i++) {
                clock.now = START.plusSeconds(60L * i);
                if (i % 4 == 0) {
                    bank.execute(new Transfer("alice", "bob", 1));
                } else {
                    bank.execute(new Deposit(i % 2 == 0 ? "bob" : "alice", 100));
                }
            }
        }
        Outcome backup = keepsake("backup", "--from", tmp.resolve("source").toString(), "--to", storeUri(),
                "--segment-events", "8");
        assertEquals(Main.OK, backup.code(), backup.out() + backup.err());
    }

    private String storeUri() {
        return tmp.resolve("backup-store").toUri().toString();
    }

    private Map<String, Long> balances(Path dir, KeyProvider keys) {
        var builder = BankLedger.builder(dir);
        if (keys != null) {
            builder.keys(keys);
        }
        try (Prevalent<Bank> bank = builder.open()) {
            return bank.query(b -> new TreeMap<>(b.balances));
        }
    }

    private static String lastLine(Outcome outcome) {
        List<String> lines = outcome.out().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void toTimeRestoresTheEventsUpToThatTime() {
        sourceBackedUp(null);
        Path restored = tmp.resolve("restored");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString(), "--to-time",
                "2026-12-02T10:10:30Z");
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertTrue(lastLine(restore).startsWith("RESTORED: " + restored + " holds the journal through sequence 10 "),
                restore.out());
        // 1..10: alice 1,3,5,7,9 (500), bob 2,6,10 (300); transfers 4 and 8 move 2 from alice to bob
        assertEquals(Map.of("alice", 498L, "bob", 302L), balances(restored, null));

        assertEquals(Main.USAGE, keepsake("restore", "--from", storeUri(), "--to", restored.toString(),
                "--to-time", "yesterday").code());
    }

    @Test
    void filtersDropTypesAndRewriteFieldsAndWriteTheMapping() throws Exception {
        sourceBackedUp(null);
        Path restored = tmp.resolve("restored");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString(), "--drop-type",
                "Transfer", "--rewrite", "Deposit.account=hash");
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertTrue(lastLine(restore).contains("through sequence 45 (45 records written this run); old-to-new "
                + "sequences in " + restored.resolve("restore-mapping.csv")), restore.out());
        assertEquals(Map.of(sha256("alice"), 3000L, sha256("bob"), 1500L), balances(restored, null));
        List<String> mapping = Files.readAllLines(restored.resolve("restore-mapping.csv"));
        assertEquals(List.of("source_sequence,target_sequence", "1,1", "2,2", "3,3", "4,", "5,4"),
                mapping.subList(1, 7));

        Path constant = tmp.resolve("constant");
        Outcome constantRun = keepsake("restore", "--from", storeUri(), "--to", constant.toString(), "--to-seq", "3",
                "--rewrite", "Deposit.account='someone'");
        assertEquals(Main.OK, constantRun.code(), constantRun.out() + constantRun.err());
        assertEquals(Map.of("someone", 300L), balances(constant, null));

        assertEquals(Main.USAGE, keepsake("restore", "--from", storeUri(), "--to", constant.toString(),
                "--rewrite", "Deposit.account=someone").code(), "an unquoted constant is refused");
        assertEquals(Main.USAGE, keepsake("restore", "--from", storeUri(), "--to", constant.toString(),
                "--drop-field", "account").code());
    }

    @Test
    void anEncryptedBackupNeedsTheKeyFileForTimesAndFilters() throws Exception {
        KeyProvider keys = KeyProvider.of(Map.of(7, KEY), 7);
        sourceBackedUp(keys);
        Path restored = tmp.resolve("restored");
        Outcome noKeys = keepsake("restore", "--from", storeUri(), "--to", restored.toString(), "--to-time",
                "2026-12-02T10:10:30Z");
        assertEquals(Main.CORRUPT, noKeys.code(), noKeys.out() + noKeys.err());
        assertTrue(noKeys.out().contains("key id 7"), noKeys.out());
        assertFalse(Files.exists(restored), "nothing was written");

        Path keyFile = tmp.resolve("keys");
        Files.writeString(keyFile, "# backup keys\n7=" + Base64.getEncoder().encodeToString(KEY) + "\n");
        Outcome withKeys = keepsake("restore", "--from", storeUri(), "--to", restored.toString(), "--to-time",
                "2026-12-02T10:10:30Z", "--key-file", keyFile.toString(), "--drop-type", "Transfer");
        assertEquals(Main.OK, withKeys.code(), withKeys.out() + withKeys.err());
        assertEquals(Map.of("alice", 500L, "bob", 300L), balances(restored, keys));
    }
}
