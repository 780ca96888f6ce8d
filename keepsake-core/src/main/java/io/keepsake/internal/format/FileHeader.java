package io.keepsake.internal.format;

import io.keepsake.FormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 32-byte header that opens every Keepsake file and stored value, so that a tool can tell what any file is
 * without application classes. Big-endian:
 *
 * <pre>
 * offset size field
 *  0     4    magic "KSK1" (0x4B 0x53 0x4B 0x31)
 *  4     1    file kind ({@link FileKind#id()})
 *  5     1    write format version: the version of the writer of this file
 *  6     1    read format version: the oldest reader version that can read this file
 *  7     1    codec id (0 = raw bytes, 1 = Smile with type registry)
 *  8     1    compression id (0 = none, 1 = LZ4)
 *  9     1    cipher id (0 = none, 1 = AES-256-GCM)
 * 10     2    reserved, zero
 * 12     4    key id current when the file was started (0 when cipher is none); informational: every
 *             encrypted payload names its own key id, so a key rotation mid-file still reads
 * 16     8    base: kind-specific (journal segment: first sequence number; snapshot: sequence it covers)
 * 24     4    reserved, zero
 * 28     4    CRC32C of bytes 0..27
 * </pre>
 *
 * A reader accepts a file when its own version is at least the file's read format version.
 *
 * @param kind              what the file holds
 * @param writeVersion      the format version that wrote it
 * @param readVersion       the oldest format version that can read it
 * @param codecId           how values were encoded
 * @param compressionId     how encoded values were compressed
 * @param cipherId          how compressed values were encrypted
 * @param keyId             which key encrypted them
 * @param base              kind-specific number
 */
public record FileHeader(FileKind kind, int writeVersion, int readVersion, int codecId, int compressionId,
                         int cipherId, int keyId, long base) {

    /** Size of the header in bytes. */
    public static final int SIZE = 32;
    /** The magic number, "KSK1". */
    public static final int MAGIC = 0x4B534B31;
    /** The format version this build writes and the newest it reads. */
    public static final int CURRENT_VERSION = 1;

    /** Validates the ranges of every field. */
    public FileHeader {
        checkByte("write version", writeVersion);
        checkByte("read version", readVersion);
        checkByte("codec id", codecId);
        checkByte("compression id", compressionId);
        checkByte("cipher id", cipherId);
        if (readVersion > writeVersion) {
            throw new IllegalArgumentException("read version " + readVersion + " > write version " + writeVersion);
        }
    }

    /** @return a header of the current format version */
    public static FileHeader current(FileKind kind, int codecId, int compressionId, int cipherId, int keyId,
                                     long base) {
        return new FileHeader(kind, CURRENT_VERSION, CURRENT_VERSION, codecId, compressionId, cipherId, keyId, base);
    }

    /** Writes the header at the buffer's position, advancing it by {@link #SIZE}. */
    public void writeTo(ByteBuffer out) {
        ByteBuffer b = out.slice().order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).put((byte) kind.id()).put((byte) writeVersion).put((byte) readVersion)
                .put((byte) codecId).put((byte) compressionId).put((byte) cipherId).putShort((short) 0)
                .putInt(keyId).putLong(base).putInt(0);
        b.putInt(Checksums.crc32c(b.array(), b.arrayOffset(), 28));
        out.position(out.position() + SIZE);
    }

    /** @return the header as a new 32-byte array */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        writeTo(b);
        return b.array();
    }

    /**
     * Reads and checks a header.
     *
     * @param in   at least {@link #SIZE} bytes at its position; the position advances by {@link #SIZE}
     * @param file the file name for error messages
     * @throws FormatException if it is not a Keepsake header, fails its checksum, or needs a newer reader
     */
    public static FileHeader readFrom(ByteBuffer in, String file) {
        if (in.remaining() < SIZE) {
            throw new FormatException(file + ": not a Keepsake file (" + in.remaining() + " bytes, header needs "
                    + SIZE + ")");
        }
        ByteBuffer b = in.slice(in.position(), SIZE).order(ByteOrder.BIG_ENDIAN);
        byte[] raw = new byte[SIZE];
        b.get(0, raw);
        if (b.getInt(0) != MAGIC) {
            throw new FormatException(file + ": not a Keepsake file (bad magic)");
        }
        int crc = Checksums.crc32c(raw, 0, 28);
        if (crc != b.getInt(28)) {
            throw new FormatException(file + ": Keepsake header fails its CRC32C check");
        }
        int readVersion = b.get(6) & 0xFF;
        // FileStore entries have a format 2 (two slots updated in place); every other kind is at version 1
        int readable = (b.get(4) & 0xFF) == FileKind.STORE_ENTRY.id() ? 2 : CURRENT_VERSION;
        if (readVersion > readable) {
            throw new FormatException(file + ": needs format version " + readVersion + ", this build reads up to "
                    + readable);
        }
        FileHeader header = new FileHeader(FileKind.of(b.get(4) & 0xFF), b.get(5) & 0xFF, readVersion,
                b.get(7) & 0xFF, b.get(8) & 0xFF, b.get(9) & 0xFF, b.getInt(12), b.getLong(16));
        in.position(in.position() + SIZE);
        return header;
    }

    private static void checkByte(String what, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(what + " must be 0..255, was " + value);
        }
    }
}
