package io.keepsake.store;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.internal.format.Checksums;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What every {@link FileStore} entry file shares, and which of its two layouts a file has. Every entry file opens
 * with a 32-byte {@link FileHeader} of kind {@code STORE_ENTRY}, then a u16 key length and the key in ASCII. The
 * header's read format version names the layout:
 * <ul>
 *   <li>1, {@link FlatEntry}: one version, replaced whole by renaming a new file over it (since 2026-12-02
 *       written only for values over {@link FlatEntry#IN_PLACE_LIMIT} bytes);</li>
 *   <li>2, {@link SlottedEntry}: one or two slots updated in place, each with its own version and CRC32C.</li>
 * </ul>
 * Nothing else in the store reads a layout directly. A file whose read version is newer than 2 is a
 * {@link FormatException} (a newer build wrote it), not corruption; a damaged file is a {@link CorruptionException}
 * naming the file and the offset.
 */
final class EntryFile {
    /** The layout of entry format version 1: one version per file. */
    static final int FLAT = 1;
    /** The layout of entry format version 2: two slots in place. */
    static final int SLOTTED = 2;
    /** Offset of the key (after the header and the u16 key length), in both layouts. */
    static final int KEY_OFFSET = FileHeader.SIZE + 2;
    /**
     * Bytes read first from every file: the header, the longest key and what follows it (a flat file's value
     * length, a slotted file's header block CRC32C), and in a flat file the start of the value.
     */
    static final int HEAD_WINDOW = 1024;

    private EntryFile() {
    }

    /** A decoded entry: its key, version and value. */
    record Entry(String key, long version, byte[] value) {
    }

    /**
     * What a writer needs to know about an existing file: its layout, its newest entry (null when no slot of a
     * slotted file passes its check), and for a slotted file the slot holding that entry, the slot capacity and how
     * many slots the file has (1 or 2).
     */
    record State(int layout, Entry newest, int newestSlot, int capacity, int slots) {
    }

    /**
     * Reads and checks a whole file of either layout.
     *
     * @param name the file, for errors
     * @return the file's state; {@code newest} is null only for a slotted file with no valid slot
     * @throws CorruptionException if a check fails (a slotted file's slots may both fail; see {@link State})
     * @throws FormatException     if a newer build wrote the file
     */
    static State read(DiskFile file, String name) throws IOException {
        long size = file.size();
        ByteBuffer head = readFully(file, 0, (int) Math.min(size, HEAD_WINDOW), name);
        int layout = checkHeader(head, name);
        if (layout == FLAT) {
            return new State(FLAT, FlatEntry.read(file, head, name, size), -1, 0, 0);
        }
        return SlottedEntry.read(file, head, name, size);
    }

    /**
     * Reads the newest entry of a file, for a reader.
     *
     * @throws CorruptionException if no version of the file passes its checks
     */
    static Entry readNewest(DiskFile file, String name) throws IOException {
        State state = read(file, name);
        if (state.newest() == null) {
            throw new CorruptionException(name, SlottedEntry.BLOCK, "neither slot passes its CRC32C check");
        }
        return state.newest();
    }

    /** Reads the key recorded in the file, after checking the header. */
    static String readKey(DiskFile file, String name, long size) throws IOException {
        ByteBuffer head = readFully(file, 0, (int) Math.min(size, KEY_OFFSET + StoreKeys.MAX_LENGTH + 4), name);
        int layout = checkHeader(head, name);
        return parseKey(head, name, size, layout == FLAT ? FlatEntry.OVERHEAD : SlottedEntry.BLOCK);
    }

    /**
     * Checks the header at the start of {@code head}: magic, CRC32C, kind and read format version.
     *
     * @return the layout, {@link #FLAT} or {@link #SLOTTED}
     */
    private static int checkHeader(ByteBuffer head, String name) {
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
        int readVersion = head.get(6) & 0xFF;
        if (readVersion > SLOTTED) {
            throw new FormatException(name + ": needs entry format version " + readVersion + ", this build reads "
                    + "up to " + SLOTTED);
        }
        int kind = head.get(4) & 0xFF;
        if (kind != FileKind.STORE_ENTRY.id()) {
            throw new CorruptionException(name, 4, "header kind is " + kind + ", expected STORE_ENTRY ("
                    + FileKind.STORE_ENTRY.id() + ")");
        }
        return readVersion <= FLAT ? FLAT : SLOTTED;
    }

    /** @return the header's base field (the version in a flat file, the slot capacity in a slotted one) */
    static long base(ByteBuffer head) {
        return head.getLong(16);
    }

    /**
     * @param minimum the fewest bytes a file of this layout with a one-byte key can have
     * @return the recorded key, checked to be a valid key
     */
    static String parseKey(ByteBuffer head, String name, long size, int minimum) {
        if (size < minimum) {
            throw new CorruptionException(name, FileHeader.SIZE, "entry is " + size + " bytes, shorter than the "
                    + minimum + " every entry needs");
        }
        int keyLength = head.getShort(FileHeader.SIZE) & 0xFFFF;
        if (keyLength == 0 || keyLength > StoreKeys.MAX_LENGTH || KEY_OFFSET + keyLength > head.limit()) {
            throw new CorruptionException(name, FileHeader.SIZE, "bad key length " + keyLength);
        }
        String key = new String(head.array(), KEY_OFFSET, keyLength, StandardCharsets.US_ASCII);
        try {
            return StoreKeys.requireValidKey(key);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(name, KEY_OFFSET, "recorded key is not a valid key");
        }
    }

    /** @return the header and key as they open every file of both layouts (the header's base given) */
    static ByteBuffer encodeHead(int layout, long base, byte[] keyBytes, int extra) {
        ByteBuffer head = ByteBuffer.allocate(KEY_OFFSET + keyBytes.length + extra).order(ByteOrder.BIG_ENDIAN);
        new FileHeader(FileKind.STORE_ENTRY, layout, layout, 0, 0, 0, 0, base).writeTo(head);
        return head.putShort((short) keyBytes.length).put(keyBytes);
    }

    static ByteBuffer readFully(DiskFile file, long position, int length, String name) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN);
        readInto(file, buffer, position, name);
        return buffer.flip();
    }

    static void readInto(DiskFile file, ByteBuffer dst, long position, String name) throws IOException {
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
