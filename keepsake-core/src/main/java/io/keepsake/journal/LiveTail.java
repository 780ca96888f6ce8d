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
 * The newest segment of a journal that another process may be appending to, as {@link ReadOnlyFileJournal} follows
 * it: {@link #scan()} counts the records that are complete and checksummed so far, resuming where the last scan
 * stopped; {@link #force()} makes what was counted durable. The first place that is not such a record (zeros, a
 * partial record, a record still being copied in) is "not yet written", never corruption: the writer has not got
 * there, or a crashed writer left a torn tail that its next open cuts at exactly that place.
 *
 * <p>One read-only handle stays open while this is the newest segment: every scan reads through a fresh
 * {@link SegmentCursor} (so nothing cached from an earlier scan hides new bytes), and forces go through it, so a
 * write-back error of the file since it was opened is reported to this handle too. Confined to the journal's lock.
 */
final class LiveTail implements AutoCloseable {
    private final Path path;
    private final long base;
    private final DiskFile file;
    private boolean headerRead;
    private long position = FileHeader.SIZE; // offset of the next record to parse
    private long next; // the sequence the record at position must carry

    private LiveTail(Path path, long base, DiskFile file) {
        this.path = path;
        this.base = base;
        this.file = file;
        this.next = base;
    }

    static LiveTail open(Disk disk, Path path, long base) {
        try {
            return new LiveTail(path, base, disk.openRead(path));
        } catch (IOException e) {
            throw new StorageException("journal: cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    long base() {
        return base;
    }

    /**
     * @return the sequence of the last complete record, or {@code base - 1} if none is complete yet
     * @throws CorruptionException if the header is damaged while records follow it, or a complete record carries
     *                             the wrong sequence
     */
    long scan() {
        if (!headerRead && !readHeader()) {
            return base - 1;
        }
        SegmentCursor cursor = new SegmentCursor(new Unclosed(file), path);
        while (true) {
            int kind;
            try {
                kind = cursor.parse(position);
            } catch (StorageException e) {
                if (shrank(cursor.size())) {
                    break; // the writer is cutting a torn tail at its open: the bytes there are not yet written
                }
                throw e;
            }
            if (kind != SegmentCursor.RECORD) {
                break;
            }
            if (cursor.sequence() != next) {
                throw new CorruptionException(path.toString(), position, "sequence gap: expected " + next
                        + ", found " + cursor.sequence());
            }
            position += cursor.recordSize();
            next++;
        }
        return next - 1;
    }

    /** Forces the file: every byte another process wrote into it before this call is on stable storage after it. */
    void force() {
        try {
            file.force(true);
        } catch (IOException e) {
            throw new StorageException("journal: forcing " + path + " failed: " + e.getMessage(), e);
        }
    }

    private boolean shrank(long size) {
        try {
            return file.size() < size;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @return whether the header is there and valid; false while the segment is still being created (short, or
     *     zeros, or a header not yet valid with nothing but zeros after it)
     */
    private boolean readHeader() {
        ByteBuffer bytes = ByteBuffer.allocate(FileHeader.SIZE);
        try {
            while (bytes.hasRemaining() && file.read(bytes, bytes.position()) >= 0) {
                // read the header or up to the end of the file
            }
        } catch (IOException e) {
            throw new StorageException("journal: cannot read the header of " + path + ": " + e.getMessage(), e);
        }
        if (bytes.hasRemaining()) {
            return false;
        }
        bytes.flip();
        FileHeader header;
        try {
            header = FileHeader.readFrom(bytes, path.toString());
        } catch (KeepsakeException e) {
            try (SegmentCursor cursor = new SegmentCursor(new Unclosed(file), path)) {
                if (cursor.zeroFrom(FileHeader.SIZE)) {
                    return false; // being created, or a creation the writer's next open rewrites
                }
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
        headerRead = true;
        return true;
    }

    @Override
    public void close() {
        Segment.closeQuietly(file);
    }

    /** Lends the tail's handle to a cursor, which closes what it is given. */
    private record Unclosed(DiskFile file) implements DiskFile {
        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            throw new IOException("read-only");
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            throw new IOException("read-only");
        }

        @Override
        public void force(boolean metadata) throws IOException {
            file.force(metadata);
        }

        @Override
        public void close() {
            // the tail closes the handle
        }
    }
}
