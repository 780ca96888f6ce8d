package io.keepsake.cli;

import static io.keepsake.cli.MainTest.keepsake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.backup.BackupOptions;
import io.keepsake.cli.MainTest.Outcome;
import io.keepsake.examples.bank.BankLedger;
import io.keepsake.examples.bank.Deposit;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.examples.bank.Bank;
import io.keepsake.store.Store;
import io.keepsake.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keepsake restore --verify-state --system CLASS}: replays with the example bank's classes. */
class RestoreVerifyStateCommandTest {
    private static final BackupOptions OPTIONS = BackupOptions.builder().eventsPerSegment(25)
            .interval(Duration.ofMillis(5)).build();

    @TempDir
    Path tmp;

    private String storeUri() {
        return tmp.resolve("backup-store").toUri().toString();
    }

    /** The example bank with a backup: 120 deposits, snapshots at 50 and 100 copied to the backup. */
    private void backedUpBank() throws InterruptedException {
        try (Store store = Stores.open(storeUri());
             Prevalent<Bank> bank = BankLedger.builder(tmp.resolve("source")).backup(store, OPTIONS).open()) {
            for (int i = 1; i <= 120; i++) {
                bank.execute(new Deposit("account-" + (i % 4), i));
                if (i % 50 == 0) {
                    long sequence = bank.snapshot();
                    String manifest = String.format("backup/snapshots/snap-%020d/manifest", sequence);
                    await(() -> store.get(manifest).isPresent());
                }
            }
            await(() -> bank.backupStatus().orElseThrow().lastSequence() == 120);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }

    private static String lastLine(Outcome outcome) {
        List<String> lines = outcome.out().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void aRestoreReplaysWithTheApplicationsClassesAndTheHashesMatch() throws Exception {
        backedUpBank();
        Path restored = tmp.resolve("restored");
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", restored.toString(), "--verify-state",
                "--system", ExampleBankOpener.class.getName(), "--classpath", tmp.toString());
        assertEquals(Main.OK, restore.code(), restore.out() + restore.err());
        assertTrue(lastLine(restore).startsWith("state MATCH: replayed from snapshot 50 to sequence 100, SHA-256 "),
                restore.out());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".keepsake-verify"))
                    .toList(), "the scratch directory is deleted");
        }
    }

    @Test
    void withoutAHashedSnapshotTheCheckIsNotPossibleAndBadOptionsAreUsage() throws Exception {
        backedUpBank();
        Outcome early = keepsake("restore", "--from", storeUri(), "--to", tmp.resolve("r1").toString(), "--to-seq",
                "40", "--verify-state", "--system", ExampleBankOpener.class.getName());
        assertEquals(Main.OK, early.code(), early.out() + early.err());
        assertTrue(lastLine(early).startsWith("state NOT_CHECKABLE: no backed-up snapshot at or before sequence 40"),
                early.out());

        assertEquals(Main.USAGE, keepsake("restore", "--from", storeUri(), "--to", tmp.resolve("r2").toString(),
                "--verify-state").code(), "--verify-state needs --system");
        Outcome unknown = keepsake("restore", "--from", storeUri(), "--to", tmp.resolve("r3").toString(),
                "--verify-state", "--system", "com.example.Missing");
        assertEquals(Main.USAGE, unknown.code(), unknown.out() + unknown.err());
        assertTrue(unknown.err().contains("com.example.Missing: no such class"), unknown.err());
        Outcome notAnOpener = keepsake("restore", "--from", storeUri(), "--to", tmp.resolve("r4").toString(),
                "--verify-state", "--system", String.class.getName());
        assertEquals(Main.USAGE, notAnOpener.code(), notAnOpener.err());
    }

    /** An application whose initial state changed since the backup was written: its replay ends elsewhere. */
    public static final class SkewedBankOpener implements io.keepsake.backup.SystemOpener {
        /** Needed by the command, which instantiates it by name. */
        public SkewedBankOpener() {
        }

        @Override
        public io.keepsake.prevalent.PrevalentSystem<?> open(Path directory) {
            return io.keepsake.Keepsake.prevalent(() -> {
                Bank bank = new Bank();
                bank.transfers = 7;
                return bank;
            }).directory(directory).register(Deposit.class, io.keepsake.examples.bank.Withdraw.class,
                    io.keepsake.examples.bank.Transfer.class).open();
        }
    }

    @Test
    void aReplayThatEndsElsewhereIsAMismatchAndExitsOne() throws Exception {
        backedUpBank();
        Outcome restore = keepsake("restore", "--from", storeUri(), "--to", tmp.resolve("restored").toString(),
                "--to-seq", "99", "--verify-state", "--system", SkewedBankOpener.class.getName());
        assertEquals(Main.CORRUPT, restore.code(), restore.out() + restore.err());
        assertTrue(lastLine(restore).startsWith("state MISMATCH at sequence 50: the state at sequence 50 hashes to "),
                restore.out());
    }
}
