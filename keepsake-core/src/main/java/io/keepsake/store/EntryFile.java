package io.keepsake.store;

import io.keepsake.CorruptionException;
import io.keepsake.internal.format.Checksums;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
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
    /** The most bytes before the value: header, key length, longest key, value length. */
    private static final int MAX_HEAD = KEY_OFFSET + StoreKeys.MAX_LENGTH + 4;

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
     * Reads and checks a whole entry: header, key, value length and CRC32C. Reads the fixed part in one call and
     * the value straight into its own array.
     *
     * @param name the file, for errors
     * @throws CorruptionException if any check fails
     */
    static Entry read(DiskFile file, String name) throws IOException {
        long size = file.size();
        ByteBuffer head = readFully(file, 0, (int) Math.min(size, MAX_HEAD), name);
        long version = checkHeader(head, name);
        String key = parseKey(head, name, size);
        int lengthAt = KEY_OFFSET + key.length();
        long valueLength = Integer.toUnsignedLong(head.getInt(lengthAt));
        if (lengthAt + 4 + valueLength + 4 != size || valueLength > Integer.MAX_VALUE - 64) {
            throw new CorruptionException(name, lengthAt, "value length " + valueLength + " does not fit the file "
                    + "size " + size);
        }
        byte[] value = new byte[(int) valueLength];
        readInto(file, ByteBuffer.wrap(value), lengthAt + 4, name);
        int stored = readFully(file, size - 4, 4, name).getInt(0);
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, lengthAt + 4);
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
        return checkHeader(readFully(file, 0, (int) Math.min(file.size(), FileHeader.SIZE), name), name);
    }

    /** Reads the key recorded in the file, after checking the header. */
    static String readKey(DiskFile file, String name, long size) throws IOException {
        ByteBuffer head = readFully(file, 0, (int) Math.min(size, MAX_HEAD), name);
        checkHeader(head, name);
        return parseKey(head, name, size);
    }

    /** @return the version number of a valid STORE_ENTRY header at the start of {@code head} */
    private static long checkHeader(ByteBuffer head, String name) {
        if (head.limit() < FileHeader.SIZE) {
            throw new CorruptionException(name, head.limit(), "file ends inside the " + FileHeader.SIZE
                    + "-byte header");
        }
        if (head.getInt(0) != FileHeader.MAGIC) {
            throw new CorruptionException(name, 0, "not a Keepsake file (bad magic)");
        }
        if (Checksums.crc32c(head.array(), 0, 28) != head.getInt(28)) {
            throw new CorruptionException(name, 0, "header CRC32C mismatch");
        }
        FileHeader parsed = FileHeader.readFrom(head.duplicate(), name); // FormatException for a newer format
        if (parsed.kind() != FileKind.STORE_ENTRY) {
            throw new CorruptionException(name, 0, "header kind is " + parsed.kind() + ", expected STORE_ENTRY");
        }
        return parsed.base();
    }

    private static String parseKey(ByteBuffer head, String name, long size) {
        if (size < OVERHEAD) {
            throw new CorruptionException(name, FileHeader.SIZE, "entry is " + size + " bytes, shorter than the "
                    + OVERHEAD + " every entry needs");
        }
        int keyLength = head.getShort(FileHeader.SIZE) & 0xFFFF;
        if (keyLength == 0 || keyLength > StoreKeys.MAX_LENGTH || OVERHEAD + keyLength > size) {
            throw new CorruptionException(name, FileHeader.SIZE, "bad key length " + keyLength);
        }
        String key = new String(head.array(), KEY_OFFSET, keyLength, StandardCharsets.US_ASCII);
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
