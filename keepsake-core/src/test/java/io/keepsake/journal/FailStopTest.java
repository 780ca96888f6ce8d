package io.keepsake.journal;

import static io.keepsake.journal.SegmentedFileJournalTest.bytes;
import static io.keepsake.journal.SegmentedFileJournalTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog 8, simple form: a failed force or write fails its append and fail-stops the journal until reopened. */
class FailStopTest {
    @TempDir
    Path dir;

    private final FlakyDisk disk = new FlakyDisk();

    private Journal open() {
        return Journal.files(dir).segmentSize(4096).disk(disk).open();
    }

    private void failsThenRefusesThenRecovers(AtomicInteger armed) {
        try (Journal journal = open()) {
            for (int i = 1; i <= 3; i++) {
                journal.append(bytes("acked" + i));
            }
            armed.set(1);
            StorageException failed = assertThrows(StorageException.class, () -> journal.append(bytes("lost")));
            assertFalse(failed instanceof FailStopException, "the failing append gets the storage error itself");
            assertTrue(failed.getMessage().contains(dir.toString()), failed.getMessage());
            assertThrows(FailStopException.class, () -> journal.append(bytes("refused")));
            assertThrows(FailStopException.class, () -> journal.appendAsync(bytes("refused")));
            assertThrows(FailStopException.class, journal::sync);
            assertEquals(3, journal.lastSequence());
        }
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            List<JournalRecord> records = readAll(journal, 1);
            assertTrue(records.size() >= 3, "every acknowledged record survives");
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(bytes("acked" + (i + 1)), records.get(i).payload());
            }
            long next = journal.append(bytes("after reopen"));
            assertEquals(records.size() + 1, next);
        }
    }

    @Test
    void failedForceFailsTheAppendAndFailStopsUntilReopened() {
        failsThenRefusesThenRecovers(disk.failNextForce);
    }

    @Test
    void aFailedForceSaysTheUnacknowledgedRecordsMayOrMayNotBeThereAfterReopen() {
        try (Journal journal = open()) {
            journal.append(bytes("acked"));
            disk.failNextForce.set(1);
            StorageException failed = assertThrows(StorageException.class, () -> journal.append(bytes("lost")));
            assertTrue(failed.getMessage().contains("records 2..2 were not acknowledged: assume each may or may not "
                    + "be present after the journal is reopened"), failed.getMessage());
        }
    }

    @Test
    void failedWriteFailsTheAppendAndFailStopsUntilReopened() {
        failsThenRefusesThenRecovers(disk.failNextWrite);
    }

    @Test
    void failedDirectoryForceAtRollFailsTheAppendThatRolled() {
        try (Journal journal = open()) {
            byte[] big = new byte[1500];
            journal.append(big);
            journal.append(big);
            disk.failNextDirectoryForce.set(1);
            // the third record does not fit in a 4096-byte segment: it rolls, and the directory force fails
            assertThrows(StorageException.class, () -> journal.append(big));
            assertThrows(FailStopException.class, () -> journal.append(big));
        }
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            assertTrue(journal.lastSequence() >= 2);
            assertEquals(2, readAll(journal, 1).stream().filter(r -> r.sequence() <= 2).count());
        }
    }

    @Test
    void failedSparePreparationFailsTheRollThatNeedsIt() {
        try (Journal journal = open()) {
            byte[] record = new byte[1000];
            disk.failNextMetadataForce.set(1);
            // after the second record the segment is half full and the spare is prepared; its force fails
            for (int i = 0; i < 4; i++) {
                journal.append(record);
            }
            StorageException e = assertThrows(StorageException.class, () -> journal.append(record));
            assertFalse(e instanceof FailStopException);
            assertThrows(FailStopException.class, () -> journal.append(record));
            assertEquals(4, journal.lastSequence());
        }
        try (Journal journal = Journal.files(dir).segmentSize(4096).open()) {
            assertEquals(4, readAll(journal, 1).stream().filter(r -> r.sequence() <= 4).count());
            assertFalse(disk.exists(dir.resolve(SpareSegment.NAME)), "a leftover spare is deleted");
        }
    }

    @Test
    void everyAppendOfAFailedBatchFailsAndNoneIsAcknowledged() {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        try (Journal journal = open()) {
            journal.append(bytes("before"));
            disk.failNextForce.set(1);
            for (int i = 0; i < 200; i++) {
                try {
                    futures.add(journal.appendAsync(bytes("batch" + i)));
                } catch (FailStopException e) {
                    break; // the failure already happened; later appends are refused
                }
            }
            for (CompletableFuture<Long> future : futures) {
                CompletionException e = assertThrows(CompletionException.class, future::join);
                assertInstanceOf(StorageException.class, e.getCause());
            }
            assertEquals(1, journal.lastSequence());
        }
    }
}
