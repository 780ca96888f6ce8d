package io.keepsake.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import io.keepsake.Keepsake;
import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.backup.Backup;
import io.keepsake.backup.BackupOptions;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import io.keepsake.store.Store;
import io.keepsake.testkit.LedgerModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real outage: the S3Proxy server this backup ships to is stopped for 10 s (connections refused) while the
 * system keeps acknowledging commands. The status and the listener report the failed uploads while it is down, the
 * backup ships nothing and skips nothing, and once the server is back it catches up: no gap, no overlap, and a
 * restore equals the source. Retries back off from 20 ms to at most 200 ms, so the catch-up needs no waiting; the
 * only sleep is the outage itself, and nothing asserts a time.
 */
class S3BackupOutageTest {
    private static final String PREFIX = "backup";
    private static final int PER_SEGMENT = 10;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /**
     * A ledger whose commands are acknowledged before they are forced, so the test spends its time on the outage,
     * not on fsyncs; the backup forces the journal before it ships.
     */
    private static PrevalentBuilder<LedgerModel> ledger(Path dir) {
        return Keepsake.prevalent(LedgerModel::new).directory(dir).register(LedgerModel.Deposit.class)
                .durability(Durability.INTERVAL);
    }

    private static LedgerModel.Deposit deposit(int i) {
        return new LedgerModel.Deposit("account-" + (i % 13), i);
    }

    private static long shipped(Prevalent<LedgerModel> ledger) {
        return ledger.backupStatus().orElseThrow().lastSequence();
    }

    @Test
    void aBackupThroughAStoppedServerReportsItAndCatchesUpWithoutAGap() throws Exception {
        try (EmbeddedS3 s3 = new EmbeddedS3()) {
            s3.createBucket("outage");
            List<WorkerStatus> told = new CopyOnWriteArrayList<>();
            BackupOptions options = BackupOptions.builder().prefix(PREFIX).eventsPerSegment(PER_SEGMENT)
                    .interval(Duration.ofMillis(20)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                    .onFailure(told::add).build();
            LedgerModel.View source;
            try (Store store = s3.store("outage").prefix("app/").maxAttempts(1).build()) {
                try (Prevalent<LedgerModel> ledger = ledger(dir.resolve("source")).backup(store, options).open()) {
                    int i = 0;
                    while (i < 50) {
                        ledger.execute(deposit(++i));
                    }
                    await(() -> shipped(ledger) == 50);
                    assertTrue(told.isEmpty(), "no failure before the outage: " + told);

                    s3.stop();
                    long end = System.nanoTime() + OUTAGE.toNanos();
                    while (System.nanoTime() < end) { // the application goes on acknowledging commands
                        ledger.execute(deposit(++i));
                        Thread.sleep(20);
                    }
                    WorkerStatus down = ledger.backupStatus().orElseThrow();
                    assertTrue(down.consecutiveFailures() > 0, "the status shows the outage: " + down);
                    assertInstanceOf(StorageException.class, down.lastFailure(), down.toString());
                    assertFalse(told.isEmpty(), "the listener was told");
                    assertEquals(50, down.lastSequence(), "nothing shipped and nothing skipped while it was down");
                    assertTrue(ledger.lastSequence() > 50 + 2 * PER_SEGMENT, "the outage held back whole segments");

                    s3.start();
                    long last = ledger.lastSequence();
                    await(() -> shipped(ledger) == last);
                    WorkerStatus up = ledger.backupStatus().orElseThrow();
                    assertEquals(0, up.consecutiveFailures(), up.toString());
                    ledger.execute(deposit(++i)); // and it keeps following
                    await(() -> shipped(ledger) == last + 1);
                    source = ledger.query(LedgerModel::view);
                }
                assertEquals(List.of(), Backup.gaps(store, PREFIX));
                long next = 1;
                for (String key : store.list(PREFIX + "/segments/")) {
                    String name = key.substring(key.lastIndexOf('/') + 1);
                    assertEquals(next, Long.parseLong(name.substring(0, 20)), "objects chain without overlap: " + key);
                    next = Long.parseLong(name.substring(21)) + 1;
                }
                assertEquals(source.applied() + 1, next, "the objects reach the last sequence");

                Path restored = dir.resolve("restored");
                assertEquals(new RestoreResult(RestoreStatus.RESTORED, source.applied(), source.applied(), null),
                        Restore.from(store, PREFIX).into(restored));
                try (Prevalent<LedgerModel> copy = ledger(restored).open()) {
                    assertEquals(source, copy.query(LedgerModel::view));
                    assertEquals(source.applied(), copy.lastSequence());
                }
            }
        }
    }

    /** Waits for a condition the backup thread brings about; the bound only guards against a hang. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within the hang guard");
            }
            Thread.sleep(1);
        }
    }
}
