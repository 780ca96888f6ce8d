package io.keepsake.journal;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.io.Disk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Encodes a batch of records into one buffer and writes it to the active segment with as few writes as possible,
 * rolling to a new segment when the next record does not fit. Used only by the committer thread, so nothing here
 * is locked; the buffer, checksum and scratch bytes are reused, so a batch allocates nothing.
 *
 * <p>Preallocation grows with the volume written: a new journal's first segment is preallocated to
 * {@link #firstCapacity}, and each next segment (and the spare prepared for it) to twice the capacity of the one
 * it follows, up to the segment size. A segment never grows in place: its size and block map are fixed when it is
 * created, so a commit still needs only a data force. A journal that writes little keeps small files; a busy one
 * reaches full-size segments after a few rolls (1, 2, 4 ... 64 MiB by default).
 */
final class SegmentWriter {
    /** The preallocated size of a new journal's first segment, unless the segment size is smaller. */
    static final long FIRST_SEGMENT_BYTES = 1L << 20;

    private final Disk disk;
    private final Path dir;
    private final FileHeader template;
    private final long segmentSize;
    private final Consumer<Segment> onRoll;
    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[12];
    private final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
    private Segment segment; // null once closed
    private SpareSegment spare; // the next segment being prepared, or null

    SegmentWriter(Disk disk, Path dir, FileHeader template, long segmentSize, Segment segment,
                  Consumer<Segment> onRoll) {
        this.disk = disk;
        this.dir = dir;
        this.template = template;
        this.segmentSize = segmentSize;
        this.segment = segment;
        this.onRoll = onRoll;
    }

    /** Writes {@code count} records numbered from {@code first}; clears the payload slots it consumed. */
    void write(byte[][] payloads, long first, int count) throws IOException {
        out.clear();
        for (int i = 0; i < count; i++) {
            byte[] payload = payloads[i];
            payloads[i] = null;
            int size = RecordFormat.HEAD + payload.length;
            if (segment.writePosition + out.position() + size > segment.capacity) {
                flush();
                roll(first + i, size);
            }
            if (out.remaining() < size) {
                flush();
            }
            long sequence = first + i;
            int checksum = RecordFormat.checksum(crc, scratch, sequence, payload, 0, payload.length);
            if (size > out.capacity()) {
                // a record larger than the buffer is written on its own rather than growing the buffer for good
                ByteBuffer head = ByteBuffer.allocate(RecordFormat.HEAD).putInt(payload.length).putInt(checksum)
                        .putLong(sequence).flip();
                segment.file.write(head, segment.writePosition);
                segment.file.write(ByteBuffer.wrap(payload), segment.writePosition + RecordFormat.HEAD);
                segment.writePosition += size;
                continue;
            }
            out.putInt(payload.length).putInt(checksum).putLong(sequence).put(payload);
        }
        flush();
    }

    /** @return the preallocated size of a new journal's first segment */
    static long firstCapacity(long segmentSize) {
        return Math.min(segmentSize, FIRST_SEGMENT_BYTES);
    }

    /** @return the preallocated size of the segment after the active one: twice its capacity, up to the size */
    private long nextCapacity() {
        return Math.min(segmentSize, Math.max(firstCapacity(segmentSize), 2 * segment.capacity));
    }

    /** Forces the active segment's data (its size and blocks were forced when it was created). */
    void force() throws IOException {
        segment.file.force(false);
    }

    /** @return the active segment's file */
    Path path() {
        return segment == null ? dir : segment.path;
    }

    private void flush() throws IOException {
        out.flip();
        int n = out.remaining();
        if (n > 0) {
            segment.file.write(out, segment.writePosition);
            segment.writePosition += n;
        }
        out.clear();
    }

    /** Seals the active segment (forced) and starts a new one whose directory entry is forced. */
    private void roll(long base, int firstRecordSize) throws IOException {
        segment.file.force(false);
        Segment.closeQuietly(segment.file);
        long capacity = Math.max(nextCapacity(), FileHeader.SIZE + (long) firstRecordSize);
        SpareSegment next = spare;
        spare = null;
        if (next != null && next.capacity() >= capacity) {
            segment = next.become(base, template);
        } else {
            if (next != null) {
                next.discard();
            }
            segment = Segment.create(disk, dir, base, capacity, template);
        }
        disk.forceDirectory(dir);
        onRoll.accept(segment);
    }

    /** Starts preparing the next segment in the background once the active one is half full. */
    void prepareSpareIfDue() {
        if (spare == null && segment != null
                && segment.writePosition - FileHeader.SIZE > (segment.capacity - FileHeader.SIZE) / 2) {
            spare = SpareSegment.start(disk, dir, nextCapacity());
        }
    }

    /** Closes the active segment's file without forcing it and deletes an unused spare; idempotent. */
    void close() {
        if (spare != null) {
            spare.discard();
            spare = null;
        }
        if (segment != null) {
            Segment.closeQuietly(segment.file);
            segment = null;
        }
    }
}
