package io.keepsake.journal;

import io.keepsake.CorruptionException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Checks one segment file from end to end and tells its valid records from a torn tail.
 *
 * <p>The rule: records are read from offset 32 while their checksums match and their sequence numbers are the
 * header's base, base + 1, ... The first position where that stops is the end of the valid log. What follows is
 * <ul>
 *   <li>a clean end if every remaining byte is zero (the preallocated, never written part) or there is none;</li>
 *   <li>a torn tail, to be cut, if this is the last segment and no record with a matching checksum and a sequence
 *       number at or after the expected one starts at any later byte offset of the file;</li>
 *   <li>also a torn tail if this is the last segment and such a later record exists, but a sector between the
 *       first bad byte and that record was never written: all zeros from the bad byte, or from a sector boundary,
 *       to the next sector boundary. A power cut can persist a later page of the last unforced write and lose an
 *       earlier one; in a preallocated segment the lost sectors read as zeros. Such a record was never forced, so
 *       it was never acknowledged (in SYNC mode);</li>
 *   <li>a {@link CorruptionException} naming the file and the offset of the first bad record otherwise: in a
 *       segment that is not the last one, before a later valid record with no unwritten sector in between, or
 *       where a record with a matching checksum carries the wrong sequence number (a gap).</li>
 * </ul>
 * Only the last segment can be torn because a segment is forced before the next one is created. A bit flip never
 * makes a whole sector zero, so damage to a forced record followed by valid records stays corruption, unless the
 * damaged stretch before the next valid record holds a zero sector of its own (a payload with a run of at least
 * 1023 zero bytes): that is read as a torn write, and the records after it are cut as a tail.
 */
final class SegmentScanner {
    private SegmentScanner() {
    }

    /**
     * The outcome of scanning one segment.
     *
     * @param header    the segment's header, or null if the header itself was torn (an empty last segment whose
     *                  creation did not reach the disk)
     * @param base      the sequence of its first record (from the file name)
     * @param records   how many valid records it holds
     * @param validEnd  the offset just after the last valid record
     * @param size      the file's size
     * @param tornAt    the offset of the torn tail, or -1 if the segment ends cleanly
     * @param tornWhat  what was wrong at {@code tornAt}
     */
    record Scan(FileHeader header, long base, long records, long validEnd, long size, long tornAt, String tornWhat) {
        boolean torn() {
            return tornAt >= 0;
        }
    }

    /**
     * @param last whether this is the journal's newest segment (the only one that may have a torn tail)
     * @throws CorruptionException if the segment is damaged anywhere other than a torn tail
     */
    static Scan scan(Disk disk, Path path, boolean last) {
        long base = RecordFormat.baseOf(path);
        DiskFile file;
        try {
            file = disk.openRead(path);
        } catch (IOException e) {
            throw new StorageException("journal: cannot open " + path + ": " + e.getMessage(), e);
        }
        try (SegmentCursor cursor = new SegmentCursor(file, path)) {
            FileHeader header = readHeader(file, cursor, path, base, last);
            if (header == null) {
                return new Scan(null, base, 0, 0, cursor.size(), 0, "segment header never reached the disk");
            }
            long position = FileHeader.SIZE;
            long expected = base;
            while (true) {
                int kind = cursor.parse(position);
                if (kind == SegmentCursor.RECORD) {
                    if (cursor.sequence() != expected) {
                        throw new CorruptionException(path.toString(), position, "sequence gap: expected "
                                + expected + ", found " + cursor.sequence());
                    }
                    position += cursor.recordSize();
                    expected++;
                    continue;
                }
                if (kind == SegmentCursor.END || kind == SegmentCursor.ZERO && cursor.zeroFrom(position)) {
                    return new Scan(header, base, expected - base, position, cursor.size(), -1, null);
                }
                String what = kind == SegmentCursor.ZERO ? "zero bytes followed by non-zero bytes" : cursor.problem();
                if (!last) {
                    throw new CorruptionException(path.toString(), position, what + " in a sealed segment");
                }
                long maxSequence = expected + (cursor.size() - position) / RecordFormat.HEAD;
                long later = cursor.findRecord(position + 1, expected, maxSequence);
                if (later >= 0) {
                    String followed = what + ", followed by a valid record (sequence " + cursor.sequence()
                            + ") at offset " + later;
                    if (!cursor.unwrittenSectorIn(position, later)) {
                        throw new CorruptionException(path.toString(), position, followed);
                    }
                    what = followed + " after a sector never written (a torn write)";
                }
                return new Scan(header, base, expected - base, position, cursor.size(), position, what);
            }
        }
    }

    /**
     * Reads and checks the header of a sealed segment.
     *
     * @throws CorruptionException if it is not a valid journal segment header matching the file name
     */
    static FileHeader header(Disk disk, Path path) {
        try (DiskFile file = disk.openRead(path)) {
            return readHeader(file, null, path, RecordFormat.baseOf(path), false);
        } catch (IOException e) {
            throw new StorageException("journal: cannot read the header of " + path + ": " + e.getMessage(), e);
        }
    }

    private static FileHeader readHeader(DiskFile file, SegmentCursor cursor, Path path, long base, boolean last) {
        ByteBuffer bytes = ByteBuffer.allocate(FileHeader.SIZE);
        try {
            while (bytes.hasRemaining() && file.read(bytes, bytes.position()) >= 0) {
                // keep reading until full or end of file
            }
        } catch (IOException e) {
            throw new StorageException("journal: cannot read the header of " + path + ": " + e.getMessage(), e);
        }
        bytes.flip();
        FileHeader header;
        try {
            header = FileHeader.readFrom(bytes, path.toString());
        } catch (KeepsakeException e) {
            if (last && cursor.zeroFrom(Math.min(cursor.size(), FileHeader.SIZE))) {
                return null;
            }
            throw new CorruptionException(path.toString(), 0, "bad segment header: " + e.getMessage());
        }
        if (header.kind() != FileKind.JOURNAL_SEGMENT) {
            throw new CorruptionException(path.toString(), 4, "not a journal segment (kind " + header.kind() + ")");
        }
        if (header.base() != base) {
            throw new CorruptionException(path.toString(), 16, "header base " + header.base()
                    + " does not match the file name's " + base);
        }
        return header;
    }
}
