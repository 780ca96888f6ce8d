package io.keepsake.prevalent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ChildJvm;
import io.keepsake.Keepsake;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.StateCheck;
import io.keepsake.backup.SystemOpener;
import io.keepsake.store.FileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state hash of a {@link Ledger}, whose balances are a {@code Map.copyOf} (iterated in an order salted per JVM
 * run), is the same in another JVM: a child JVM runs the same events, or writes the backup the parent checks.
 */
class StateHashAcrossJvmsTest {
    private static final BackupOptions OPTIONS = BackupOptions.builder().interval(Duration.ofMillis(5))
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    private static final SystemOpener LEDGER = StateHashAcrossJvmsTest::open;
    // Both JVMs stamp events with the same time, so two separate runs reach equal states.
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static PrevalentValue<Ledger, Ledger.Event> open(Path directory) {
        return Keepsake.prevalent(Ledger.EMPTY, Ledger::apply).directory(directory).clock(CLOCK)
                .register(Ledger.Credit.class, Ledger.Debit.class).open();
    }

    /** Sixty events over forty accounts: enough keys that two salts order them differently. */
    private static void run(PrevalentValue<Ledger, Ledger.Event> ledger, Runnable atSnapshot) {
        for (int i = 1; i <= 60; i++) {
            ledger.execute(i % 4 == 0 ? new Ledger.Debit("acct-" + (i * 7 % 40), 0)
                    : new Ledger.Credit("acct-" + (i * 7 % 40), i));
            if (i == 20 || i == 40) {
                ledger.snapshot();
                atSnapshot.run();
            }
        }
    }

    /**
     * {@code hash DIR}: runs the events in DIR and prints the state hash. {@code backup DIR BACKUP}: runs them with a
     * backup in the file store BACKUP, snapshots at 20 and 40, and waits until the backup holds everything.
     */
    public static void main(String[] args) {
        Path directory = Path.of(args[1]);
        if (args[0].equals("hash")) {
            try (PrevalentValue<Ledger, Ledger.Event> ledger = open(directory)) {
                run(ledger, () -> { });
                System.out.println(ledger.stateHash().sha256());
            }
            return;
        }
        try (FileStore backup = FileStore.at(Path.of(args[2]));
             PrevalentValue<Ledger, Ledger.Event> ledger = Keepsake.prevalent(Ledger.EMPTY, Ledger::apply)
                     .directory(directory).register(Ledger.Credit.class, Ledger.Debit.class).keepSnapshots(2)
                     .backup(backup, OPTIONS).open()) {
            run(ledger, () -> {
                String manifest = OPTIONS.prefix() + "/snapshots/" + Snapshots.manifestKey(ledger.lastSequence());
                await(() -> backup.get(manifest).isPresent());
            });
            await(() -> ledger.backupStatus().orElseThrow().lastSequence() == 60);
        }
    }

    /** Waits for the backup's worker; the bound only guards against a hang. */
    private static void await(BooleanSupplier condition) {
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

    private static String child(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 4];
        command[0] = ChildJvm.java();
        command[1] = "-cp";
        command[2] = ChildJvm.classPath();
        command[3] = StateHashAcrossJvmsTest.class.getName();
        System.arraycopy(args, 0, command, 4, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void aMapCopyOfStateHashesTheSameInAnotherJvm() throws IOException, InterruptedException {
        StateHash here;
        String recorded;
        try (PrevalentValue<Ledger, Ledger.Event> ledger = open(dir.resolve("here"))) {
            run(ledger, () -> { });
            here = ledger.stateHash();
            assertEquals(60, ledger.snapshot());
            try (FileStore snapshots = FileStore.readOnly(dir.resolve("here/snapshots"))) {
                recorded = StateHash.ofManifest("m", snapshots.get(Snapshots.manifestKey(60)).orElseThrow()
                        .value()).orElseThrow().sha256();
            }
        }
        assertEquals(here.sha256(), recorded, "the snapshot records the live state's hash");
        String out = child("hash", dir.resolve("there").toString());
        String there = out.substring(out.lastIndexOf('\n') + 1);
        assertEquals(here.sha256(), there, "the state replayed in another JVM hashes the same");
    }

    @Test
    void aLedgerBackedUpByAnotherJvmReplaysToAMatch() throws IOException, InterruptedException {
        Path backupDir = dir.resolve("backup");
        child("backup", dir.resolve("source").toString(), backupDir.toString());
        try (FileStore backup = FileStore.at(backupDir)) {
            StateCheck.Result r = StateCheck.replay(backup, OPTIONS.prefix(), Long.MAX_VALUE, dir.resolve("work"),
                    LEDGER);
            assertEquals(StateCheck.Status.MATCH, r.status(), r::toString);
            assertEquals(40, r.sequence());
            assertEquals(20, r.replayedFrom());
            assertTrue(r.expected().matches("[0-9a-f]{64}"), r.expected());
        }
        try (FileStore backup = FileStore.at(backupDir)) { // and a changed application is caught
            SystemOpener skewed = d -> Keepsake.prevalent(Ledger.EMPTY, (Ledger l, Ledger.Event e,
                            java.time.Instant t) -> Ledger.apply(l, e, t.plusSeconds(1))).directory(d)
                    .register(Ledger.Credit.class, Ledger.Debit.class).open();
            StateCheck.Result r = StateCheck.replay(backup, OPTIONS.prefix(), Long.MAX_VALUE, dir.resolve("work2"),
                    skewed);
            assertEquals(StateCheck.Status.MISMATCH, r.status(), r::toString);
            assertNotEquals(r.expected(), r.actual());
        }
    }
}
