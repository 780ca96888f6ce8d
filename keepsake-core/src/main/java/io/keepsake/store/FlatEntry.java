package io.keepsake.store;

import io.keepsake.CorruptionException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Entry format version 1: one version per file, replaced whole. Since 2026-12-02 it is written only for values over
 * {@link #IN_PLACE_LIMIT} bytes; a smaller value (including the next put of a key whose format 1 file holds a small
 * value) is written as a {@link SlottedEntry}. Big-endian:
 *
 * <pre>
 * offset      size  field
 *  0          32    {@link FileHeader}: kind STORE_ENTRY, read/write version 1, codec/compression/cipher 0,
 *                   base = version number
 * 32           2    u16 key length K
 * 34           K    the key, ASCII
 * 34+K         4    u32 value length N
 * 38+K         N    the value
 * 38+K+N       4    CRC32C of bytes 0 .. 38+K+N-1
 * </pre>
 *
 * Such a file was only ever made visible by an atomic rename of a forced temporary file, so a short or damaged
 * file is corruption, never a torn write.
 */
final class FlatEntry {
    /** The fixed bytes around key and value. */
    static final int OVERHEAD = FileHeader.SIZE + 2 + 4 + 4;
    /**
     * The largest value written in place ({@link SlottedEntry}); a larger one is written in this format. In place
     * saves one file force and a directory force per update, which matters for small values updated often; for a
     * large value the write itself dominates, and its second slot would double the file for good (a 1 MiB value:
     * 2 MiB + 8 KiB in place, 1 MiB + 4 KiB here).
     */
    static final int IN_PLACE_LIMIT = 64 * 1024;

    private FlatEntry() {
    }

    /** Writes a whole flat file at position 0 of an empty file. */
    static void writeNew(DiskFile file, String key, long version, byte[] value) throws IOException {
        byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer head = EntryFile.encodeHead(EntryFile.FLAT, version, keyBytes, 4).putInt(value.length).flip();
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, head.limit());
        crc.update(value);
        long at = 0;
        for (ByteBuffer part : new ByteBuffer[] {head, ByteBuffer.wrap(value),
                ByteBuffer.allocate(4).putInt(0, (int) crc.getValue())}) {
            int length = part.remaining();
            file.write(part, at);
            at += length;
        }
    }

    /**
     * Checks and decodes a whole flat file.
     *
     * @param head the file's first bytes (at least the header, key and value length when the file has them), header
     *             already checked
     */
    static EntryFile.Entry read(DiskFile file, ByteBuffer head, String name, long size) throws IOException {
        long version = EntryFile.base(head);
        String key = EntryFile.parseKey(head, name, size, OVERHEAD);
        int lengthAt = EntryFile.KEY_OFFSET + key.length();
        if (OVERHEAD + key.length() > size) {
            throw new CorruptionException(name, FileHeader.SIZE, "bad key length " + key.length());
        }
        long valueLength = Integer.toUnsignedLong(head.getInt(lengthAt));
        if (lengthAt + 4 + valueLength + 4 != size || valueLength > Integer.MAX_VALUE - 64) {
            throw new CorruptionException(name, lengthAt, "value length " + valueLength + " does not fit the file "
                    + "size " + size);
        }
        byte[] value = new byte[(int) valueLength];
        int inHead = Math.min(value.length, head.limit() - (lengthAt + 4));
        head.get(lengthAt + 4, value, 0, inHead);
        if (inHead < value.length) {
            EntryFile.readInto(file, ByteBuffer.wrap(value, inHead, value.length - inHead), lengthAt + 4L + inHead,
                    name);
        }
        int stored = size <= head.limit() ? head.getInt((int) size - 4)
                : EntryFile.readFully(file, size - 4, 4, name).getInt(0);
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, lengthAt + 4);
        crc.update(value);
        if ((int) crc.getValue() != stored) {
            throw new CorruptionException(name, FileHeader.SIZE, "entry CRC32C mismatch");
        }
        return new EntryFile.Entry(key, version, value);
    }
}
