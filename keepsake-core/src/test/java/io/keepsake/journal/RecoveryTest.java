package io.keepsake.journal;

import static io.keepsake.journal.SegmentedFileJournalTest.bytes;
import static io.keepsake.journal.SegmentedFileJournalTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.CorruptionException;
import io.keepsake.internal.format.FileHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog 3 (torn tail) and catalog 4 (mid-log corruption). */
class RecoveryTest {
    private static final int SEGMENT = 4096;
    private static final int PAGE = 4096;
    private static final int SECTOR = 512;

    @TempDir
    Path dir;

    private final List<byte[]> payloads = new ArrayList<>();
    private int segmentSize = SEGMENT;

    private Journal open() {
        return Journal.files(dir).segmentSize(segmentSize).open();
    }

    /** Appends records of varying sizes; returns the start offset of each within its segment. */
    private List<Long> writeJournal(int count) {
        List<Long> offsets = new ArrayList<>();
        long offset = FileHeader.SIZE;
        try (Journal journal = open()) {
            for (int i = 1; i <= count; i++) {
                byte[] payload = bytes("record-" + i + "-" + "x".repeat(i * 7 % 23));
                if (offset + RecordFormat.HEAD + payload.length > segmentSize) {
                    offset = FileHeader.SIZE;
                }
                offsets.add(offset);
                offset += RecordFormat.HEAD + payload.length;
                payloads.add(payload);
                journal.append(payload);
            }
        }
        return offsets;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ksj")).sorted().toList();
        }
    }

    /** Puts the only segment back with these bytes (an earlier append may have rolled to a new segment). */
    private void restore(Path segment, byte[] bytes) throws IOException {
        for (Path file : segments()) {
            if (!file.equals(segment)) {
                Files.delete(file);
            }
        }
        Files.write(segment, bytes);
    }

    private void assertRecordsThenAppend(int expectedKept) {
        assertRecordsThenAppend(expectedKept, "");
    }

    private void assertRecordsThenAppend(int expectedKept, String where) {
        try (Journal journal = open()) {
            assertEquals(expectedKept, journal.lastSequence(), where);
            assertEquals(expectedKept + 1, journal.append(bytes("after")));
        }
        try (Journal journal = open()) {
            List<JournalRecord> records = readAll(journal, 1);
            assertEquals(expectedKept + 1, records.size());
            for (int i = 0; i < expectedKept; i++) {
                assertArrayEquals(payloads.get(i), records.get(i).payload());
            }
            assertArrayEquals(bytes("after"), records.get(expectedKept).payload());
        }
    }

    @Test
    void tornTailIsCutAndAppendsContinueAtEveryOffsetOfTheLastRecord() throws IOException {
        List<Long> offsets = writeJournal(5);
        Path segment = segments().get(0);
        byte[] original = Files.readAllBytes(segment);
        int start = offsets.get(4).intValue();
        int end = start + RecordFormat.HEAD + payloads.get(4).length;
        Random random = new Random(3);
        for (int k = start; k < end; k++) {
            // truncated inside the last record
            restore(segment, Arrays.copyOf(original, k));
            assertRecordsThenAppend(4, "truncated at " + k);
            // zeros from k on
            byte[] zeroed = original.clone();
            Arrays.fill(zeroed, k, zeroed.length, (byte) 0);
            restore(segment, zeroed);
            assertRecordsThenAppend(4, "zeros from " + k);
            // garbage from k on, different from what was there, then zeros
            byte[] garbage = zeroed.clone();
            for (int i = k; i < end + 40; i++) {
                garbage[i] = (byte) (original[i] ^ (1 + random.nextInt(255)));
            }
            restore(segment, garbage);
            assertRecordsThenAppend(4, "garbage from " + k);
        }
    }

    @Test
    void tornTailAfterARollIsCutInTheNewestSegment() throws IOException {
        writeJournal(120);
        List<Path> files = segments();
        assertTrue(files.size() >= 2);
        Path last = files.get(files.size() - 1);
        long base = RecordFormat.baseOf(last);
        byte[] bytes = Files.readAllBytes(last);
        // cut the last record of the newest segment in half
        int lastStart = FileHeader.SIZE;
        for (long seq = base; seq < 120; seq++) {
            lastStart += RecordFormat.HEAD + payloads.get((int) seq - 1).length;
        }
        Files.write(last, Arrays.copyOf(bytes, lastStart + 9));
        assertRecordsThenAppend(119);
    }

    /**
     * A power cut can persist a later page of the last unforced write and lose an earlier one: inside the
     * preallocated segment the lost sectors read as zeros, and valid records follow them. That is a torn tail, not
     * corruption of an acknowledged record, at every sector of the written pages that can be lost.
     */
    @Test
    void lostSectorsOfTheLastWriteBeforeValidRecordsAreATornTail() throws IOException {
        segmentSize = 8 * PAGE;
        List<Long> offsets = writeJournal(400);
        Path file = segments().get(0);
        byte[] original = Files.readAllBytes(file);
        int durableEnd = offsets.get(100).intValue(); // records 1..100 were forced, 101..400 are one unforced write
        int writtenEnd = offsets.get(399).intValue() + RecordFormat.HEAD + payloads.get(399).length;
        assertTrue(writtenEnd > durableEnd + 2 * PAGE, "the unforced write must span several pages: " + writtenEnd);
        int checked = 0;
        for (int sector = durableEnd / SECTOR; (sector + 1) * SECTOR < writtenEnd - RecordFormat.HEAD; sector++) {
            int from = Math.max(durableEnd, sector * SECTOR);
            byte[] lost = original.clone();
            Arrays.fill(lost, from, (sector + 1) * SECTOR, (byte) 0);
            restore(file, lost);
            int kept = 0;
            while (offsets.get(kept) + RecordFormat.HEAD + payloads.get(kept).length <= from) {
                kept++;
            }
            assertRecordsThenAppend(kept, "sector " + sector + " lost, zeros from " + from);
            checked++;
        }
        assertTrue(checked > 10, "checked " + checked);
    }

    /** The torn-write reading needs a zero sector before the next valid record, not anywhere after the damage. */
    @Test
    void flippedLengthBeforeValidRecordsIsCorruptionEvenWithZeroSectorsAfterTheLastRecord() throws IOException {
        segmentSize = 8 * PAGE;
        List<Long> offsets = writeJournal(300);
        Path file = segments().get(0);
        byte[] bytes = Files.readAllBytes(file);
        int start = offsets.get(60).intValue();
        bytes[start + 2] ^= 0x20; // the length now claims 8 KiB more, running into the zeros after the last record
        Files.write(file, bytes);
        CorruptionException e = assertThrows(CorruptionException.class, this::open);
        assertEquals(start, e.offset(), e.getMessage());
    }

    @Test
    void segmentWhoseCreationNeverReachedTheDiskIsRewrittenEmpty() throws IOException {
        writeJournal(3);
        Path next = dir.resolve(RecordFormat.fileName(4));
        Files.write(next, new byte[100]);
        assertRecordsThenAppend(3);
        payloads.add(bytes("after"));
        Files.write(dir.resolve(RecordFormat.fileName(5)), new byte[0]);
        assertRecordsThenAppend(4);
    }

    @Test
    void bitFlipBeforeTheTailIsCorruptionNamingFileAndOffset() throws IOException {
        List<Long> offsets = writeJournal(5);
        Path segment = segments().get(0);
        byte[] original = Files.readAllBytes(segment);
        for (int record = 0; record < 4; record++) {
            int start = offsets.get(record).intValue();
            int end = start + RecordFormat.HEAD + payloads.get(record).length;
            for (int k = start; k < end; k++) {
                byte[] flipped = original.clone();
                flipped[k] ^= (byte) (1 << (k % 8));
                Files.write(segment, flipped);
                CorruptionException e = assertThrows(CorruptionException.class, this::open, "flip at " + k);
                assertEquals(segment.toString(), e.file());
                assertEquals(start, e.offset(), "flip at " + k + ": " + e.getMessage());
            }
        }
    }

    @Test
    void bitFlipInASealedSegmentIsCorruptionWhenRead() throws IOException {
        List<Long> offsets = writeJournal(120);
        Path first = segments().get(0);
        byte[] bytes = Files.readAllBytes(first);
        int start = offsets.get(10).intValue();
        bytes[start + RecordFormat.HEAD + 3] ^= 0x10;
        Files.write(first, bytes);
        try (Journal journal = open()) {
            assertEquals(120, journal.lastSequence());
            long second = RecordFormat.baseOf(segments().get(1));
            assertEquals(second, readAll(journal, second).get(0).sequence());
            CorruptionException e = assertThrows(CorruptionException.class, () -> readAll(journal, 1));
            assertEquals(first.toString(), e.file());
            assertEquals(start, e.offset());
        }
    }

    @Test
    void validRecordWithTheWrongSequenceIsAGap() throws IOException {
        List<Long> offsets = writeJournal(3);
        Path segment = segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        // rewrite record 2 as a valid record numbered 7
        int start = offsets.get(1).intValue();
        byte[] payload = payloads.get(1);
        int crc = RecordFormat.checksum(new java.util.zip.CRC32C(), new byte[12], 7, payload, 0, payload.length);
        java.nio.ByteBuffer.wrap(bytes).putInt(start + 4, crc).putLong(start + 8, 7);
        Files.write(segment, bytes);
        CorruptionException e = assertThrows(CorruptionException.class, this::open);
        assertEquals(start, e.offset());
        assertTrue(e.getMessage().contains("sequence gap"), e.getMessage());
    }

    @Test
    void missingMiddleSegmentIsCorruptionWhenRead() throws IOException {
        writeJournal(400);
        List<Path> files = segments();
        assertTrue(files.size() >= 3);
        Files.delete(files.get(1));
        try (Journal journal = open()) {
            CorruptionException e = assertThrows(CorruptionException.class, () -> readAll(journal, 1));
            assertEquals(files.get(0).toString(), e.file());
        }
    }
}
