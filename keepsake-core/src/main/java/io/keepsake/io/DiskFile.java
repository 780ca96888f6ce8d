package io.keepsake.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** An open file of a {@link Disk}: positional reads and writes, size, truncate and force. Not thread-safe for
 *  concurrent writes to overlapping ranges; callers serialize writers. */
public interface DiskFile extends AutoCloseable {

    /** Writes all remaining bytes of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code position}.
     *
     * @return the number of bytes read, or -1 at end of file
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** @return the file's current size in bytes */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /**
     * Forces written bytes to stable storage.
     *
     * @param metadata whether file metadata (such as its size) must be forced too; pass true after the file grew
     */
    void force(boolean metadata) throws IOException;

    /** Closes the file; idempotent. */
    @Override
    void close() throws IOException;
}
