package io.keepsake.journal;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The segment being appended to: an open file, its preallocated capacity and the offset of the next record. Used
 * only by the committer thread (and by open/close, which happen before it starts and after it stops).
 */
final class Segment {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    final Path path;
    final long base;
    final DiskFile file;
    final long capacity;
    /** Offset where the next record goes; committer thread only. */
    long writePosition;

    Segment(Path path, long base, DiskFile file, long capacity, long writePosition) {
        this.path = path;
        this.base = base;
        this.file = file;
        this.capacity = capacity;
        this.writePosition = writePosition;
    }

    /**
     * Creates a segment file: writes the header, fills it with zeros up to {@code capacity} and forces it with its
     * metadata, so that later appends only need a data force. The caller must force the directory before any record
     * in it is acknowledged.
     */
    static Segment create(Disk disk, Path dir, long base, long capacity, FileHeader template) throws IOException {
        Path path = dir.resolve(RecordFormat.fileName(base));
        DiskFile file = disk.open(path, true);
        try {
            file.truncate(0);
            FileHeader header = new FileHeader(template.kind(), template.writeVersion(), template.readVersion(),
                    template.codecId(), template.compressionId(), template.cipherId(), template.keyId(), base);
            file.write(ByteBuffer.wrap(header.toBytes()), 0);
            zeroFill(file, FileHeader.SIZE, capacity);
            file.force(true);
            return new Segment(path, base, file, capacity, FileHeader.SIZE);
        } catch (IOException | RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    /** Writes zeros over {@code [from, to)}. */
    static void zeroFill(DiskFile file, long from, long to) throws IOException {
        for (long p = from; p < to; ) {
            ByteBuffer chunk = ZEROS.duplicate();
            chunk.limit((int) Math.min(chunk.capacity(), to - p));
            int n = chunk.remaining();
            file.write(chunk, p);
            p += n;
        }
    }

    long remaining() {
        return capacity - writePosition;
    }

    static void closeQuietly(DiskFile file) {
        try {
            file.close();
        } catch (IOException | RuntimeException e) {
            // Already failing or already forced; a close error adds nothing.
        }
    }
}
