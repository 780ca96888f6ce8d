package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ClosedException;
import io.keepsake.CorruptionException;
import io.keepsake.Durability;
import io.keepsake.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only view of a journal directory: beside a live writer, with torn tails, new and pruned segments. */
class ReadOnlyJournalTest {
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    private static byte[] payload(long i) {
        return ("event-" + i + "-" + "x".repeat(40)).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<JournalRecord> all(Journal journal, long from) {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.read(from)) {
            reader.forEachRemaining(records::add);
        }
        return records;
    }

    private void assertRecords(long from, long to, List<JournalRecord> records) {
        assertEquals(to - from + 1, records.size());
        for (JournalRecord record : records) {
            assertEquals(from, record.sequence());
            assertArrayEquals(payload(from), record.payload());
            from++;
        }
    }

    @Test
    void followsALiveWriterWithoutItsLockAcrossNewSegments() {
        try (Journal writer = Journal.files(dir).segmentSize(SEGMENT).open();
             Journal view = Journal.files(dir).openReadOnly()) {
            assertEquals(0, view.lastSequence());
            assertEquals(1, view.firstSequence());
            assertEquals(Durability.SYNC, view.durability());
            for (int i = 1; i <= 10; i++) {
                writer.append(payload(i));
            }
            assertEquals(10, view.lastSequence());
            assertRecords(1, 10, all(view, 1));
            for (int i = 11; i <= 300; i++) {
                writer.append(payload(i)); // many segments of 4 KiB
            }
            assertEquals(300, view.lastSequence());
            assertRecords(1, 300, all(view, 1));
            assertRecords(250, 300, all(view, 250));
            assertTrue(all(view, 301).isEmpty());
            assertThrows(IllegalArgumentException.class, () -> view.read(302));
            assertThrows(UnsupportedOperationException.class, () -> view.append(payload(1)));
            assertThrows(UnsupportedOperationException.class, () -> view.appendAsync(payload(1)));
            assertThrows(UnsupportedOperationException.class, () -> view.appendAll(List.of(payload(1))));
            assertThrows(UnsupportedOperationException.class, () -> view.deleteBefore(100));
            writer.append(payload(301)); // the writer is unaffected by the view
            assertEquals(301, writer.lastSequence());
        }
    }

    @Test
    void aTornOrZeroTailIsNotYetWrittenAndCountsOnceTheWriterCutsAndContinues() throws IOException {
        try (Journal writer = Journal.files(dir).open()) {
            for (int i = 1; i <= 5; i++) {
                writer.append(payload(i));
            }
        }
        Path segment = dir.resolve(RecordFormat.fileName(1));
        long end = 32 + 5L * (RecordFormat.HEAD + payload(1).length); // after the header and five records
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            // a record head claiming more bytes than were written: a write cut short by a crash
            ByteBuffer torn = ByteBuffer.allocate(20).putInt(100).putInt(12345).putLong(6).putInt(7).flip();
            file.write(torn, end);
        }
        try (Journal view = Journal.files(dir).openReadOnly()) {
            assertEquals(5, view.lastSequence(), "the torn record is not yet written");
            assertRecords(1, 5, all(view, 1));
            try (Journal writer = Journal.files(dir).open()) { // cuts the tail, then appends where it was
                writer.append(payload(6));
                assertEquals(6, view.lastSequence());
                assertRecords(1, 6, all(view, 1));
            }
        }
    }

    @Test
    void aSegmentBeingCreatedHoldsNothingYet() throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(RecordFormat.fileName(1)), new byte[0]);
        try (Journal view = Journal.files(dir).openReadOnly()) {
            assertEquals(0, view.lastSequence());
            Files.write(dir.resolve(RecordFormat.fileName(1)), new byte[8192]); // zero-filled, header not yet
            assertEquals(0, view.lastSequence());
        }
        Files.delete(dir.resolve(RecordFormat.fileName(1)));
        try (Journal writer = Journal.files(dir).open(); Journal view = Journal.files(dir).openReadOnly()) {
            writer.append(payload(1));
            assertEquals(1, view.lastSequence());
        }
    }

    @Test
    void aDamagedHeaderWithRecordsAfterItIsCorruption() throws IOException {
        try (Journal writer = Journal.files(dir).open()) {
            writer.append(payload(1));
        }
        try (FileChannel file = FileChannel.open(dir.resolve(RecordFormat.fileName(1)), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {9, 9, 9, 9}), 0);
        }
        assertThrows(CorruptionException.class, () -> Journal.files(dir).openReadOnly());
    }

    @Test
    void aReaderThatLosesASegmentToPruningNamesTheMissingRangeAndSkipsNothing() {
        try (Journal writer = Journal.files(dir).segmentSize(SEGMENT).open();
             Journal view = Journal.files(dir).openReadOnly()) {
            for (int i = 1; i <= 300; i++) {
                writer.append(payload(i));
            }
            assertEquals(300, view.lastSequence());
            try (JournalReader reader = view.read(1)) {
                assertEquals(1, reader.next().sequence()); // holds the first segment open: it stays readable
                writer.deleteBefore(200);
                long second = writer.firstSequence();
                long read = 1;
                StorageException lost = null;
                try {
                    while (reader.hasNext()) {
                        read = reader.next().sequence();
                    }
                } catch (StorageException e) {
                    lost = e;
                }
                assertTrue(lost != null, "a reader must not skip the deleted segments");
                assertTrue(lost.getMessage().contains("sequences [" + (read + 1) + ", "), lost.getMessage());
                assertTrue(lost.getMessage().contains("deleted"), lost.getMessage());
                assertTrue(read < second, "read " + read + " of a journal that now starts at " + second);
            }
            long first = view.firstSequence();
            assertTrue(first > 1 && first <= 200, "first " + first);
            assertRecords(first, 300, all(view, first));
            assertThrows(IllegalArgumentException.class, () -> view.read(1));
        }
    }

    @Test
    void aClosedViewRefusesEverything() {
        Journal view;
        try (Journal writer = Journal.files(dir).open()) {
            writer.append(payload(1));
            view = Journal.files(dir).openReadOnly();
        }
        view.close();
        view.close();
        assertThrows(ClosedException.class, view::lastSequence);
        assertThrows(ClosedException.class, () -> view.read(1));
        assertThrows(ClosedException.class, view::durability);
        assertFalse(Files.exists(dir.resolve("absent")));
        assertThrows(StorageException.class, () -> Journal.files(dir.resolve("absent")).openReadOnly());
    }
}
