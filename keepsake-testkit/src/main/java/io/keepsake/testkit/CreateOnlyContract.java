package io.keepsake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.WorkerStatus;
import io.keepsake.backup.Backup;
import io.keepsake.backup.Restore;
import io.keepsake.backup.RestoreResult;
import io.keepsake.backup.RestoreStatus;
import io.keepsake.internal.concurrent.ManualTicker;
import io.keepsake.journal.Journal;
import io.keepsake.store.Expected;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every backup object is created with a create-only put on the store under test: an object already under the next
 * name with other bytes (another backup writing the same prefix) is reported in the status and to the listeners,
 * retried, and never overwritten; the backup does not move past it.
 */
abstract class CreateOnlyContract extends BackupContractSupport {

    @Test
    void anObjectAlreadyUnderTheNextNameIsReportedAndNeverOverwritten() throws Exception {
        byte[] foreign = "another backup's object under this prefix".getBytes(StandardCharsets.UTF_8);
        String next = segmentKey(PER_SEGMENT + 1, 2L * PER_SEGMENT);
        List<WorkerStatus> told = new CopyOnWriteArrayList<>();
        try (Journal journal = Journal.files(tmp.resolve("journal")).open()) {
            for (int i = 1; i <= PER_SEGMENT; i++) {
                journal.append(("event-" + i).getBytes(StandardCharsets.UTF_8));
            }
            // On a ticker that never moves, only full segments ship (each poll sleeps a millisecond of real time),
            // so the next object's name is known in advance.
            Backup backup = Backup.follow(journal, store, options().ticker(ManualTicker.manual())
                    .onFailure(told::add).build());
            try {
                await(() -> backup.shippedThrough() == PER_SEGMENT, () -> backup.status() + " " + store.list(""));
                store.put(next, foreign, Expected.absent());
                for (int i = PER_SEGMENT + 1; i <= 2 * PER_SEGMENT; i++) {
                    journal.append(("event-" + i).getBytes(StandardCharsets.UTF_8));
                }
                // Reported and retried, or (wrongly) shipped over the foreign object: the assertions below tell which.
                await(() -> told.size() >= 2 || backup.shippedThrough() > PER_SEGMENT,
                        () -> backup.status() + " " + store.list(""));
                WorkerStatus status = backup.status();
                assertTrue(status.consecutiveFailures() >= 2, status.toString());
                StorageException failure = assertInstanceOf(StorageException.class, status.lastFailure());
                assertTrue(failure.getMessage().contains(next) && failure.getMessage().contains("never overwritten"),
                        failure.getMessage());
                assertEquals(PER_SEGMENT, backup.shippedThrough(), "it does not move past the conflict");
            } finally {
                backup.close();
            }
            assertEquals(PER_SEGMENT, backup.shippedThrough());
        }
        assertArrayEquals(foreign, store.get(next).orElseThrow().value(), "the object was never overwritten");
        assertEquals(List.of(segmentKey(1, PER_SEGMENT), next), store.list(PREFIX + "/segments/"));

        RestoreResult result = Restore.from(store, PREFIX).into(tmp.resolve("restored"));
        assertEquals(RestoreStatus.FAILED, result.status(), result.toString());
        assertEquals(PER_SEGMENT, result.lastSequence(), "the backup's own objects restore; the foreign one fails");
        assertEquals(next, assertInstanceOf(CorruptionException.class, result.failure()).file());
    }
}
