package io.keepsake.journal;

import static io.keepsake.journal.SegmentedFileJournalTest.bytes;
import static io.keepsake.journal.SegmentedFileJournalTest.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.Durability;
import io.keepsake.FailStopException;
import io.keepsake.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Journal#appendAll}: one bulk append, same records, sequences and failure rules as one append each. */
class BulkAppendTest {
    @TempDir
    Path dir;

    private static String payload(int i) {
        return "record " + i + " " + "y".repeat(i * 13 % 200);
    }

    private static List<byte[]> payloads(int from, int count) {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            out.add(bytes(payload(i)));
        }
        return out;
    }

    private static long segmentFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> RecordFormat.baseOf(f) >= 1).count();
        }
    }

    private static void assertRecords(Journal journal, int count) {
        List<JournalRecord> records = readAll(journal, 1);
        assertEquals(count, records.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i + 1, records.get(i).sequence());
            assertEquals(payload(i + 1), new String(records.get(i).payload(), UTF_8),
                    "record " + (i + 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void sequencesStayContinuousAcrossSegmentRollsAndRecoveryReadsTheBulkWrittenRecords(Durability durability)
            throws Exception {
        try (Journal journal = Journal.files(dir).segmentSize(4096).durability(durability).open()) {
            assertEquals(1, journal.append(bytes(payload(1))));
            assertEquals(701, journal.appendAll(payloads(2, 700))); // ~90 KiB through 4 KiB segments
            assertEquals(702, journal.append(bytes(payload(702))));
            assertEquals(705, journal.appendAll(payloads(703, 3)));
            journal.sync();
            assertEquals(705, journal.lastSequence());
            assertRecords(journal, 705);
        }
        assertTrue(segmentFiles(dir) > 10, "the bulk append rolled segments");
        try (Journal reopened = Journal.files(dir).segmentSize(4096).durability(durability).open()) {
            assertRecords(reopened, 705);
            assertEquals(706, reopened.append(bytes("next")));
        }
    }

    @Test
    void aBulkAppendsRecordsAreConsecutiveWhileAnotherThreadAppends() throws Exception {
        try (Journal journal = Journal.files(dir).segmentSize(1 << 16).durability(Durability.NONE).open()) {
            Thread other = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    journal.append(bytes("single"));
                }
            });
            List<Long> lasts = new ArrayList<>();
            for (int b = 0; b < 20; b++) {
                lasts.add(journal.appendAll(payloads(1, 50)));
            }
            other.join();
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(3000, records.size());
            for (long last : lasts) {
                for (int i = 0; i < 50; i++) {
                    JournalRecord r = records.get((int) (last - 50 + i));
                    assertEquals(payload(i + 1), new String(r.payload(), UTF_8),
                            "bulk ending at " + last + ", record " + r.sequence());
                }
            }
        }
    }

    @Test
    void anEmptyListIsRefusedAndAppendsNothing() {
        try (Journal journal = Journal.files(dir).open()) {
            journal.append(bytes("one"));
            assertThrows(IllegalArgumentException.class, () -> journal.appendAll(List.of()));
            assertEquals(2, journal.append(bytes("two")));
        }
    }

    @Test
    void aFailedWriteFailsTheBulkAppendAndFailStopsUntilReopened() {
        FlakyDisk disk = new FlakyDisk();
        try (Journal journal = Journal.files(dir).segmentSize(4096).disk(disk).open()) {
            journal.appendAll(payloads(1, 3));
            disk.failNextWrite.set(1);
            StorageException failed = assertThrows(StorageException.class,
                    () -> journal.appendAll(payloads(4, 200)));
            assertFalse(failed instanceof FailStopException, "the failing bulk append gets the storage error itself");
            assertTrue(failed.getMessage().contains("records 4..203 were not acknowledged"), failed.getMessage());
            assertThrows(FailStopException.class, () -> journal.appendAll(payloads(4, 2)));
            assertThrows(FailStopException.class, () -> journal.append(bytes("refused")));
            assertEquals(3, journal.lastSequence());
        }
        try (Journal reopened = Journal.files(dir).segmentSize(4096).open()) {
            List<JournalRecord> records = readAll(reopened, 1);
            assertTrue(records.size() >= 3 && records.size() <= 203, records.size() + " records");
            assertRecords(reopened, records.size()); // whatever survived is a prefix of whole records
            assertEquals(records.size() + 2, reopened.appendAll(payloads(records.size() + 1, 2)));
        }
    }

    @Test
    void aClosedJournalRefusesABulkAppend() {
        Journal journal = Journal.files(dir).open();
        journal.close();
        assertThrows(ClosedException.class, () -> journal.appendAll(payloads(1, 2)));
    }
}
