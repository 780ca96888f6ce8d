package io.keepsake.store;

import io.keepsake.CorruptionException;
import io.keepsake.format.Checksums;
import io.keepsake.format.FileHeader;
import io.keepsake.format.FileKind;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of one {@link FileStore} entry file, big-endian:
 *
 * <pre>
 * offset      size  field
 *  0          32    {@link FileHeader}: kind STORE_ENTRY, codec/compression/cipher 0, base = version number
 * 32           2    u16 key length K
 * 34           K    the key, ASCII
 * 34+K         4    u32 value length N
 * 38+K         N    the value
 * 38+K+N       4    CRC32C of bytes 0 .. 38+K+N-1
 * </pre>
 *
 * An entry file is only ever made visible by an atomic rename of a forced temporary file, so a short or damaged
 * file is corruption, never a torn write: every check failure is a {@link CorruptionException}.
 */
final class EntryFile {
    static final int KEY_OFFSET = FileHeader.SIZE + 2;
    /** The fixed bytes around key and value. */
    static final int OVERHEAD = FileHeader.SIZE + 2 + 4 + 4;

    private EntryFile() {
    }

    /** Writes a whole entry at position 0 of an empty file. */
    static void write(DiskFile file, String key, long version, byte[] value) throws IOException {
        byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer head = ByteBuffer.allocate(KEY_OFFSET + keyBytes.length + 4).order(ByteOrder.BIG_ENDIAN);
        FileHeader.current(FileKind.STORE_ENTRY, 0, 0, 0, 0, version).writeTo(head);
        head.putShort((short) keyBytes.length).put(keyBytes).putInt(value.length).flip();
        CRC32C crc = new CRC32C();
        crc.update(head.duplicate());
        crc.update(value);
        ByteBuffer tail = ByteBuffer.allocate(4).putInt(0, (int) crc.getValue());
        long position = head.remaining();
        file.write(head, 0);
        file.write(ByteBuffer.wrap(value), position);
        file.write(tail, position + value.length);
    }

    /** A decoded entry. */
    record Entry(String key, long version, byte[] value) {
    }

    /**
     * Reads and checks a whole entry.
     *
     * @param name the file, for errors
     * @throws CorruptionException if any check fails
     */
    static Entry read(DiskFile file, String name) throws IOException {
        long size = file.size();
        long version = readVersion(file, name);
        String key = readKey(file, name, size);
        int keyLength = key.length();
        long lengthAt = KEY_OFFSET + keyLength;
        long valueLength = Integer.toUnsignedLong(readFully(file, lengthAt, 4, name).getInt(0));
        if (lengthAt + 4 + valueLength + 4 != size || valueLength > Integer.MAX_VALUE - 64) {
            throw new CorruptionException(name, lengthAt, "value length " + valueLength + " does not fit the file "
                    + "size " + size);
        }
        byte[] value = new byte[(int) valueLength];
        readInto(file, ByteBuffer.wrap(value), lengthAt + 4, name);
        int stored = readFully(file, size - 4, 4, name).getInt(0);
        CRC32C crc = new CRC32C();
        crc.update(readFully(file, 0, (int) lengthAt + 4, name));
        crc.update(value);
        if ((int) crc.getValue() != stored) {
            throw new CorruptionException(name, FileHeader.SIZE, "entry CRC32C mismatch");
        }
        return new Entry(key, version, value);
    }

    /**
     * Reads and checks only the header, for a compare-and-set.
     *
     * @return the version number in the header
     */
    static long readVersion(DiskFile file, String name) throws IOException {
        ByteBuffer header = readFully(file, 0, FileHeader.SIZE, name);
        if (header.getInt(0) != FileHeader.MAGIC) {
            throw new CorruptionException(name, 0, "not a Keepsake file (bad magic)");
        }
        if (Checksums.crc32c(header.array(), 0, 28) != header.getInt(28)) {
            throw new CorruptionException(name, 0, "header CRC32C mismatch");
        }
        FileHeader parsed = FileHeader.readFrom(header, name); // throws FormatException for a newer format
        if (parsed.kind() != FileKind.STORE_ENTRY) {
            throw new CorruptionException(name, 0, "header kind is " + parsed.kind() + ", expected STORE_ENTRY");
        }
        return parsed.base();
    }

    /** Reads the key recorded in the file (checks the header first). */
    static String readKey(DiskFile file, String name, long size) throws IOException {
        readVersion(file, name);
        if (size < OVERHEAD) {
            throw new CorruptionException(name, FileHeader.SIZE, "entry is " + size + " bytes, shorter than the "
                    + OVERHEAD + " every entry needs");
        }
        int keyLength = readFully(file, FileHeader.SIZE, 2, name).getShort(0) & 0xFFFF;
        if (keyLength == 0 || keyLength > StoreKeys.MAX_LENGTH || OVERHEAD + keyLength > size) {
            throw new CorruptionException(name, FileHeader.SIZE, "bad key length " + keyLength);
        }
        byte[] raw = new byte[keyLength];
        readInto(file, ByteBuffer.wrap(raw), KEY_OFFSET, name);
        String key = new String(raw, StandardCharsets.US_ASCII);
        try {
            return StoreKeys.requireValidKey(key);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(name, KEY_OFFSET, "recorded key is not a valid key");
        }
    }

    private static ByteBuffer readFully(DiskFile file, long position, int length, String name) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN);
        readInto(file, buffer, position, name);
        return buffer.flip();
    }

    private static void readInto(DiskFile file, ByteBuffer dst, long position, String name) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = file.read(dst, at);
            if (n < 0) {
                throw new CorruptionException(name, at, "file ends early");
            }
            at += n;
        }
    }
}
