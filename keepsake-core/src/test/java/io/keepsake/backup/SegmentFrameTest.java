package io.keepsake.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.journal.Journal;
import io.keepsake.journal.JournalRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup segment object format, byte by byte, and its golden file of format version 1
 * ({@code src/test/resources/golden/v1/backup-segment.ksb}). To (re)generate the golden file, deliberately, run this
 * test with {@code -Dkeepsake.golden.write=true} and commit it; every later build must read it.
 */
class SegmentFrameTest {
    private static final String GOLDEN = "golden/v1/backup-segment.ksb";
    private static final boolean WRITE = Boolean.getBoolean("keepsake.golden.write");

    @TempDir
    Path dir;

    /** Records 7, 8 and 9: a short text, an empty payload and the 256 byte values. */
    private static List<JournalRecord> goldenRecords() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return List.of(new JournalRecord(7, "alpha".getBytes(StandardCharsets.UTF_8)), new JournalRecord(8,
                new byte[0]), new JournalRecord(9, all));
    }

    private static byte[] golden() throws IOException {
        if (WRITE) {
            Path file = Path.of(System.getProperty("basedir", "."), "src/test/resources", GOLDEN);
            Files.createDirectories(file.getParent());
            Files.write(file, SegmentFrame.encode(goldenRecords()));
            return Files.readAllBytes(file);
        }
        try (InputStream in = SegmentFrameTest.class.getClassLoader().getResourceAsStream(GOLDEN)) {
            if (in == null) {
                throw new IOException("missing test resource " + GOLDEN);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void goldenSegmentOfVersionOneReadsAndIsRewrittenByteForByte() throws IOException {
        byte[] golden = golden();
        SegmentFrame.Decoded decoded = SegmentFrame.decode("golden", golden);
        assertEquals(7, decoded.first());
        assertEquals(9, decoded.last());
        List<JournalRecord> expected = goldenRecords();
        assertEquals(3, decoded.records().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).sequence(), decoded.records().get(i).sequence());
            assertArrayEquals(expected.get(i).payload(), decoded.records().get(i).payload());
        }
        assertArrayEquals(golden, SegmentFrame.encode(expected));
    }

    @Test
    void layoutIsHeaderLastSequenceCountRecordsAndTrailingCrc() {
        byte[] bytes = SegmentFrame.encode(goldenRecords());
        ByteBuffer b = ByteBuffer.wrap(bytes);
        FileHeader header = FileHeader.readFrom(b, "x");
        assertEquals(FileKind.BACKUP_SEGMENT, header.kind());
        assertEquals(5, FileKind.BACKUP_SEGMENT.id());
        assertEquals(1, header.writeVersion());
        assertEquals(1, header.readVersion());
        assertEquals(7, header.base());
        assertEquals(9, b.getLong(32));
        assertEquals(3, b.getInt(40));
        assertEquals(5, b.getInt(44)); // first record's payload length
        assertEquals(7, b.getLong(52)); // its sequence
        assertEquals("alpha", new String(bytes, 60, 5, StandardCharsets.UTF_8));
        assertEquals(44 + 16 + 5 + 16 + 16 + 256 + 4, bytes.length);
    }

    @Test
    void recordsAreByteForByteWhatTheFileJournalWrites() throws IOException {
        try (Journal journal = Journal.files(dir).segmentSize(1 << 16).open()) {
            for (JournalRecord record : goldenRecords()) {
                journal.append(record.payload());
            }
        }
        byte[] segment = Files.readAllBytes(dir.resolve(String.format("seg-%020d.ksj", 1)));
        List<JournalRecord> renumbered = goldenRecords().stream()
                .map(r -> new JournalRecord(r.sequence() - 6, r.payload())).toList();
        byte[] frame = SegmentFrame.encode(renumbered);
        int recordBytes = frame.length - SegmentFrame.HEAD - 4;
        assertArrayEquals(Arrays.copyOfRange(segment, FileHeader.SIZE, FileHeader.SIZE + recordBytes),
                Arrays.copyOfRange(frame, SegmentFrame.HEAD, SegmentFrame.HEAD + recordBytes));
    }

    @Test
    void everyFlippedByteIsACorruptionNamingTheObject() {
        byte[] bytes = SegmentFrame.encode(goldenRecords());
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x10;
            CorruptionException e = assertThrows(CorruptionException.class,
                    () -> SegmentFrame.decode("backup/segments/x", tampered), "byte " + i);
            assertEquals("backup/segments/x", e.file());
        }
    }

    @Test
    void everyTruncationIsACorruptionNamingTheObject() {
        byte[] bytes = SegmentFrame.encode(goldenRecords());
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            CorruptionException e = assertThrows(CorruptionException.class,
                    () -> SegmentFrame.decode("backup/segments/y", cut), "length " + length);
            assertEquals("backup/segments/y", e.file());
        }
    }

    @Test
    void anotherKindOfKeepsakeFileIsAFormatError() {
        ByteBuffer b = ByteBuffer.allocate(SegmentFrame.HEAD + 4);
        FileHeader.current(FileKind.VALUE, 0, 0, 0, 0, 1).writeTo(b);
        b.putLong(0).putInt(0);
        b.putInt(io.keepsake.internal.format.Checksums.crc32c(b.array(), 0, b.position()));
        assertThrows(FormatException.class, () -> SegmentFrame.decode("k", b.array()));
    }

    @Test
    void recordsMustBeConsecutive() {
        assertThrows(IllegalArgumentException.class, () -> SegmentFrame.encode(List.of(
                new JournalRecord(1, new byte[1]), new JournalRecord(3, new byte[1]))));
        assertThrows(IllegalArgumentException.class, () -> SegmentFrame.encode(List.of()));
    }
}
