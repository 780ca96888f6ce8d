package io.keepsake.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** An open file of a {@link Disk}: positional reads and writes, size, truncate and force. Not thread-safe for
 *  concurrent writes to overlapping ranges; callers serialize writers. */
public interface DiskFile extends AutoCloseable {

    /**
     * Writes all remaining bytes of {@code src} at {@code position}, growing the file if needed. The bytes are
     * durable only after {@link #force(boolean)}.
     *
     * @param src      the bytes to write; its position advances to its limit
     * @param position the byte offset in the file to write at
     * @throws IOException if the write fails (for example the disk is full); part of it may have been written
     */
    void write(ByteBuffer src, long position) throws IOException;

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code position}.
     *
     * @param dst      where the bytes go; its position advances by the number read
     * @param position the byte offset in the file to read from
     * @return the number of bytes read, or -1 at end of file
     * @throws IOException if the read fails
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /**
     * Tells how long the file is now, including bytes written but not yet forced.
     *
     * @return the file's current size in bytes
     * @throws IOException if the size cannot be read
     */
    long size() throws IOException;

    /**
     * Cuts the file to {@code size} bytes; a file already that short is left as it is. Durable only after
     * {@code force(true)}.
     *
     * @param size the new length in bytes
     * @throws IOException if the file cannot be truncated
     */
    void truncate(long size) throws IOException;

    /**
     * Forces written bytes to stable storage.
     *
     * @param metadata whether file metadata (such as its size) must be forced too; pass true after the file grew
     * @throws IOException if the force fails; what was written since the last force may then be lost, and Keepsake
     *                     fail-stops rather than retry
     */
    void force(boolean metadata) throws IOException;

    /**
     * Closes the file; idempotent. Closing does not force.
     *
     * @throws IOException if the underlying channel fails to close
     */
    @Override
    void close() throws IOException;
}
