package io.keepsake.journal;

import static io.keepsake.journal.SegmentedFileJournalTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.Durability;
import io.keepsake.StorageException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 6: preallocation grows with the volume written, so a small journal fits a small volume. */
class SmallFootprintTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ksj")).sorted().toList();
        }
    }

    private static byte[] record(int i, int size) {
        byte[] b = new byte[size];
        for (int j = 0; j < size; j++) {
            b[j] = (byte) (i * 31 + j);
        }
        return b;
    }

    @Test
    void aFreshJournalWithAFewRecordsTakesOneMebibyte() throws IOException {
        try (Journal journal = Journal.files(dir).open()) {
            for (int i = 0; i < 10; i++) {
                journal.append(record(i, 100));
            }
        }
        List<Path> segments = segmentFiles();
        assertEquals(1, segments.size());
        assertEquals(MIB, Files.size(segments.get(0)), "the first segment is preallocated to 1 MiB, not 64 MiB");
    }

    @Test
    void anEightMebibyteVolumeHoldsAJournalWithTheDefaultSegmentSize() {
        SmallDisk disk = new SmallDisk(8 * MIB);
        try (Journal journal = Journal.files(dir).disk(disk).open()) {
            for (int i = 0; i < 100; i++) {
                journal.append(record(i, 200));
            }
        }
        assertTrue(disk.used() <= 2 * MIB, "used " + disk.used());
        try (Journal journal = Journal.files(dir).disk(disk).open()) {
            assertEquals(100, readAll(journal, 1).size());
        }
    }

    @Test
    void aVolumeTooSmallForTheFirstSegmentFailsTheOpenNamingSegmentSizeAndTheFreeSpace() throws IOException {
        SmallDisk disk = new SmallDisk(512 * 1024);
        StorageException e = assertThrows(StorageException.class, () -> Journal.files(dir).disk(disk).open());
        assertTrue(e.getMessage().contains("segmentSize(...)"), e.getMessage());
        assertTrue(e.getMessage().contains("524288 bytes free"), e.getMessage());
        assertEquals(List.of(), segmentFiles(), "nothing is left behind");
        // a smaller segment size fits
        try (Journal journal = Journal.files(dir).disk(disk).segmentSize(256 * 1024).open()) {
            assertEquals(1L, journal.append(record(1, 10)));
        }
    }

    @Test
    void eachSegmentDoublesThePreallocationOfTheOneBeforeUpToTheSegmentSize() throws IOException {
        int count = 11_000;
        try (Journal journal = Journal.files(dir).durability(Durability.NONE).segmentSize(4 * MIB).open()) {
            for (int i = 0; i < count; i++) {
                journal.appendAsync(record(i, 1000));
            }
            journal.sync();
        }
        List<Path> segments = segmentFiles();
        assertTrue(segments.size() >= 4, "segments " + segments);
        assertEquals(MIB, Files.size(segments.get(0)));
        assertEquals(2 * MIB, Files.size(segments.get(1)));
        assertEquals(4 * MIB, Files.size(segments.get(2)));
        assertEquals(4 * MIB, Files.size(segments.get(3)), "capped at the segment size");
        try (Journal journal = Journal.files(dir).segmentSize(4 * MIB).open()) {
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(count, records.size());
            for (int i = 0; i < count; i += 997) {
                assertArrayEquals(record(i, 1000), records.get(i).payload());
            }
        }
    }

    @Test
    void aTornTailInASmallFirstSegmentIsCutWithoutGrowingTheFile() throws IOException {
        try (Journal journal = Journal.files(dir).open()) {
            for (int i = 0; i < 5; i++) {
                journal.append(record(i, 100));
            }
        }
        Path segment = segmentFiles().get(0);
        long end = 32 + 5 * (16 + 100);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(end);
            file.write(new byte[] {50, 0, 0, 0, 1, 2, 3, 4, 6}); // half a record header: a torn write
        }
        try (Journal journal = Journal.files(dir).open()) {
            assertEquals(5, journal.lastSequence());
            assertEquals(6L, journal.append(record(6, 100)));
            assertEquals(6, readAll(journal, 1).size());
        }
        assertEquals(MIB, Files.size(segment), "recovery keeps the segment's preallocated size");
    }
}
