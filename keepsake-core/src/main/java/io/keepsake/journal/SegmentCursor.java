package io.keepsake.journal;

import io.keepsake.StorageException;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Parses records of one segment file through a read window. {@link #parse(long)} looks at the record starting at a
 * byte offset and reports {@link #RECORD}, {@link #END}, {@link #ZERO} or {@link #BAD}; it never allocates more
 * than the file can hold, so a bogus length cannot exhaust memory. Single-threaded.
 */
final class SegmentCursor implements AutoCloseable {
    /** A record whose checksum matches; see {@link #sequence()}, {@link #length()}, {@link #copyPayload()}. */
    static final int RECORD = 0;
    /** The offset is exactly the end of the file. */
    static final int END = 1;
    /** Sixteen zero bytes (or fewer, up to the end of the file): no record was ever written here. */
    static final int ZERO = 2;
    /** Anything else: a partial or damaged record; see {@link #problem()}. */
    static final int BAD = 3;

    /** The unit a disk writes whole or not at all; a torn or lost page leaves whole sectors unwritten. */
    static final int SECTOR = 512;
    private static final int MIN_WINDOW = 256 << 10;
    private static final byte[] ZEROS = new byte[MIN_WINDOW]; // never written: compared against in zeroFrom

    private final DiskFile file;
    private final Path path;
    private final long size;
    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[12];
    private byte[] window = new byte[MIN_WINDOW];
    private long windowStart;
    private int windowLength;
    private int index;
    private long sequence;
    private int length;
    private String problem;

    /** Takes ownership of {@code file}: it is closed by {@link #close()}, or here if its size cannot be read. */
    SegmentCursor(DiskFile file, Path path) {
        this.file = file;
        this.path = path;
        try {
            this.size = file.size();
        } catch (IOException e) {
            close();
            throw new StorageException("journal: cannot read the size of " + path + ": " + e.getMessage(), e);
        }
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    /** Classifies the bytes at {@code position}; on {@link #RECORD} the record's fields become readable. */
    int parse(long position) {
        if (position >= size) {
            return END;
        }
        if (size - position < RecordFormat.HEAD) {
            load(position, (int) (size - position));
            for (int i = 0; i < size - position; i++) {
                if (window[index + i] != 0) {
                    problem = "partial record head (" + (size - position) + " bytes before the end of the file)";
                    return BAD;
                }
            }
            return ZERO;
        }
        load(position, RecordFormat.HEAD);
        int len = intAt(index);
        int stored = intAt(index + 4);
        long seq = longAt(index + 8);
        if (len == 0 && stored == 0 && seq == 0) {
            return ZERO;
        }
        if (len < 0 || len > RecordFormat.MAX_PAYLOAD) {
            problem = "record length " + Integer.toUnsignedString(len) + " out of range";
            return BAD;
        }
        if (len > size - position - RecordFormat.HEAD) {
            problem = "record of " + len + " bytes runs past the end of the file";
            return BAD;
        }
        load(position, RecordFormat.HEAD + len);
        int actual = RecordFormat.checksum(crc, scratch, seq, window, index + RecordFormat.HEAD, len);
        if (actual != stored) {
            problem = "record CRC32C mismatch";
            return BAD;
        }
        this.sequence = seq;
        this.length = len;
        return RECORD;
    }

    /**
     * Looks for a record with a matching checksum and a sequence in {@code [minSequence, maxSequence]} starting at
     * any byte offset from {@code from}.
     *
     * @return its offset, or -1 if there is none
     */
    long findRecord(long from, long minSequence, long maxSequence) {
        for (long q = from; q + RecordFormat.HEAD <= size; q++) {
            if (q < windowStart || q + RecordFormat.HEAD > windowStart + windowLength) {
                load(q, (int) Math.min(size - q, MIN_WINDOW));
            }
            int at = (int) (q - windowStart);
            long seq = longAt(at + 8);
            if (seq < minSequence || seq > maxSequence) {
                continue;
            }
            int len = intAt(at);
            if (len >= 0 && len <= RecordFormat.MAX_PAYLOAD && len <= size - q - RecordFormat.HEAD
                    && parse(q) == RECORD) {
                return q;
            }
        }
        return -1;
    }

    /** @return whether every byte from {@code position} to the end of the file is zero */
    boolean zeroFrom(long position) {
        for (long p = position; p < size; ) {
            int n = (int) Math.min(size - p, MIN_WINDOW);
            load(p, n);
            // Arrays.mismatch compares many bytes per instruction (an intrinsic), unlike a byte loop.
            if (Arrays.mismatch(window, index, index + n, ZEROS, 0, n) >= 0) {
                return false;
            }
            p += n;
        }
        return true;
    }

    /**
     * @return whether {@code [from, to)} holds a run of zero bytes that starts at {@code from} or at a sector
     *         boundary and ends at the next sector boundary, at or before {@code to}: a sector never written
     */
    boolean unwrittenSectorIn(long from, long to) {
        for (long start = from; ; ) {
            long end = (start / SECTOR + 1) * SECTOR;
            if (end > to || end > size) {
                return false;
            }
            int n = (int) (end - start);
            load(start, n);
            if (Arrays.mismatch(window, index, index + n, ZEROS, 0, n) < 0) {
                return true;
            }
            start = end;
        }
    }

    long sequence() {
        return sequence;
    }

    int length() {
        return length;
    }

    /** @return the record's head plus payload size */
    int recordSize() {
        return RecordFormat.HEAD + length;
    }

    byte[] copyPayload() {
        byte[] payload = new byte[length];
        System.arraycopy(window, index + RecordFormat.HEAD, payload, 0, length);
        return payload;
    }

    String problem() {
        return problem;
    }

    /** Makes {@code [position, position + n)} readable at {@code window[index]}; n never exceeds the file. */
    private void load(long position, int n) {
        if (position >= windowStart && position + n <= windowStart + windowLength) {
            index = (int) (position - windowStart);
            return;
        }
        if (n > window.length) {
            window = new byte[Math.max(n, window.length * 2)];
        }
        int want = (int) Math.min(window.length, size - position);
        ByteBuffer dst = ByteBuffer.wrap(window, 0, want);
        try {
            while (dst.hasRemaining()) {
                int read = file.read(dst, position + dst.position());
                if (read < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new StorageException("journal: reading " + path + " at offset " + position + " failed: "
                    + e.getMessage(), e);
        }
        if (dst.position() < n) {
            throw new StorageException("journal: " + path + " shrank while being read (offset " + position + ")");
        }
        windowStart = position;
        windowLength = dst.position();
        index = 0;
    }

    private int intAt(int i) {
        return (window[i] & 0xFF) << 24 | (window[i + 1] & 0xFF) << 16 | (window[i + 2] & 0xFF) << 8
                | (window[i + 3] & 0xFF);
    }

    private long longAt(int i) {
        return (long) intAt(i) << 32 | (intAt(i + 4) & 0xFFFFFFFFL);
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // Read-only handle: nothing can be lost by a failed close.
        }
    }
}
