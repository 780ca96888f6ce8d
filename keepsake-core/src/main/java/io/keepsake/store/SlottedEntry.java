package io.keepsake.store;

import io.keepsake.CorruptionException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Entry format version 2: a header block and up to two slots, so that an update overwrites one slot in place and
 * needs only an fdatasync. Big-endian:
 *
 * <pre>
 * offset        size  field
 *  0            32    {@link FileHeader}: kind STORE_ENTRY, read/write version 2, codec/compression/cipher 0,
 *                     base = slot capacity C (a positive multiple of 4096)
 * 32             2    u16 key length K
 * 34             K    the key, ASCII
 * 34+K           4    CRC32C of bytes 0 .. 34+K-1
 * 38+K     to 4096    zero
 * 4096           C    slot 0
 * 4096+C         C    slot 1, present only when the file is exactly 4096 + 2C bytes; a file of 4096 + C up to
 *                     4096 + 2C - 1 bytes has no slot 1
 *
 * slot:  0  8  version (signed)
 *        8  4  u32 value length N, with 16 + N &lt;= C
 *       12  N  the value
 *     12+N  4  CRC32C of slot bytes 0 .. 12+N-1; the rest of the slot is unspecified
 * </pre>
 *
 * <p>The newest version is the highest version among the slots that pass their checks. A file is made visible
 * whole (a forced temporary file renamed over the name) with only the header block and slot 0 (4096 + C bytes), so
 * a value written once pays for one slot. An update writes the slot that does not hold the newest version and
 * forces it; the first update of slot 1 writes it whole (its record, then zeros to 4096 + 2C), so the same
 * fdatasync makes the grown size durable. A power cut during that write can tear only that slot, or leave the file
 * between 4096 + C and 4096 + 2C bytes, which reads as "no slot 1" (slots and the header block occupy separate
 * 4 KiB pages, so the page cache never rewrites a page of the other slot), so the newest acknowledged version
 * stays readable. The header block is written once, at creation.
 */
final class SlottedEntry {
    /** The header block's size and the alignment of the slots: one page. */
    static final int BLOCK = 4096;
    /** Bytes read first from each slot: its version and length, and all of a small value and its CRC32C. */
    static final int SLOT_WINDOW = 512;
    /** Bytes of a slot around its value: version, length, CRC32C. */
    static final int SLOT_OVERHEAD = 8 + 4 + 4;
    private static final int SLOT_HEAD = 12;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private SlottedEntry() {
    }

    /** @return the slot capacity that holds {@code valueLength} bytes: whole pages */
    static int capacityFor(int valueLength) {
        long needed = (long) valueLength + SLOT_OVERHEAD;
        long capacity = (needed + BLOCK - 1) / BLOCK * BLOCK;
        if (capacity > (Integer.MAX_VALUE - BLOCK) / 2) {
            throw new IllegalArgumentException("value of " + valueLength + " bytes is too large for a file entry");
        }
        return (int) capacity;
    }

    /** @return the offset of a slot */
    static long slotOffset(int slot, int capacity) {
        return BLOCK + (long) slot * capacity;
    }

    /** @return one slot's bytes for a version and value */
    static ByteBuffer encodeSlot(long version, byte[] value) {
        ByteBuffer slot = ByteBuffer.allocate(SLOT_OVERHEAD + value.length).order(ByteOrder.BIG_ENDIAN);
        slot.putLong(version).putInt(value.length).put(value);
        CRC32C crc = new CRC32C();
        crc.update(slot.array(), 0, SLOT_HEAD + value.length);
        return slot.putInt((int) crc.getValue()).flip();
    }

    /**
     * Writes a whole new file at position 0 of an empty file: the header block and slot 0 holding {@code version}
     * and {@code value}, padded with zeros to the slot's capacity so that later in-place updates of slot 0 allocate
     * nothing. Slot 1 is not written: the file is 4096 + C bytes.
     */
    static void writeNew(DiskFile file, String key, long version, byte[] value) throws IOException {
        int capacity = capacityFor(value.length);
        byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer head = EntryFile.encodeHead(EntryFile.SLOTTED, capacity, keyBytes, BLOCK - EntryFile.KEY_OFFSET
                - keyBytes.length);
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, head.position());
        head.putInt((int) crc.getValue()).clear();
        file.write(head, 0);
        writeSlot(file, 0, capacity, version, value, true);
    }

    /**
     * Writes one slot's record at its offset; with {@code whole}, zeros after it to the slot's end, so that the file
     * is at least as long as the slot (the first write of slot 1 grows the file to 4096 + 2C).
     */
    static void writeSlot(DiskFile file, int slot, int capacity, long version, byte[] value, boolean whole)
            throws IOException {
        ByteBuffer record = encodeSlot(version, value);
        int written = record.remaining();
        long at = slotOffset(slot, capacity);
        file.write(record, at);
        if (!whole) {
            return;
        }
        long end = at + capacity;
        for (long pad = at + written; pad < end; ) {
            int chunk = (int) Math.min(ZEROS.capacity(), end - pad);
            file.write(ZEROS.duplicate().limit(chunk), pad);
            pad += chunk;
        }
    }

    /** @return the size of a file with both slots */
    static long fullSize(int capacity) {
        return BLOCK + 2L * capacity;
    }

    /**
     * Checks a slotted file's header block and both slots.
     *
     * @param head the file's first bytes (at least the header block's checked part), its 32-byte header already
     *             checked
     * @return the file's state, with a null newest entry when neither slot passes its checks
     * @throws CorruptionException if the header block is damaged or the size does not fit the capacity
     */
    static EntryFile.State read(DiskFile file, ByteBuffer head, String name, long size) throws IOException {
        long capacity = EntryFile.base(head);
        if (capacity <= 0 || capacity % BLOCK != 0 || capacity > (Integer.MAX_VALUE - BLOCK) / 2
                || size < BLOCK + capacity || size > BLOCK + 2 * capacity) {
            throw new CorruptionException(name, 16, "slot capacity " + capacity + " does not fit the file size "
                    + size);
        }
        String key = EntryFile.parseKey(head, name, size, 2 * BLOCK);
        int crcAt = EntryFile.KEY_OFFSET + key.length();
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, crcAt);
        if ((int) crc.getValue() != head.getInt(crcAt)) {
            throw new CorruptionException(name, FileHeader.SIZE, "header block CRC32C mismatch");
        }
        int cap = (int) capacity;
        int slots = size == fullSize(cap) ? 2 : 1; // a short slot 1 is a first write of it cut by a power loss
        ByteBuffer[] windows = new ByteBuffer[slots];
        for (int slot = 0; slot < slots; slot++) {
            windows[slot] = EntryFile.readFully(file, slotOffset(slot, cap), Math.min(cap, SLOT_WINDOW), name);
        }
        int first = slots == 2 && windows[1].getLong(0) > windows[0].getLong(0) ? 1 : 0;
        for (int slot : slots == 2 ? new int[] {first, 1 - first} : new int[] {0}) {
            EntryFile.Entry entry = checkSlot(file, windows[slot], name, key, cap, slot);
            if (entry != null) {
                return new EntryFile.State(EntryFile.SLOTTED, entry, slot, cap, slots);
            }
        }
        return new EntryFile.State(EntryFile.SLOTTED, null, -1, cap, slots);
    }

    /**
     * @param window the slot's first bytes
     * @return the slot's entry, or null if its length does not fit or its CRC32C fails
     */
    private static EntryFile.Entry checkSlot(DiskFile file, ByteBuffer window, String name, String key, int capacity,
                                             int slot) throws IOException {
        long version = window.getLong(0);
        int length = window.getInt(8);
        if (length < 0 || length > capacity - SLOT_OVERHEAD) {
            return null;
        }
        int recordLength = SLOT_HEAD + length + 4;
        ByteBuffer record = recordLength <= window.limit() ? window
                : EntryFile.readFully(file, slotOffset(slot, capacity), recordLength, name);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), 0, SLOT_HEAD + length);
        if ((int) crc.getValue() != record.getInt(SLOT_HEAD + length)) {
            return null;
        }
        byte[] value = new byte[length];
        record.get(SLOT_HEAD, value);
        return new EntryFile.Entry(key, version, value);
    }
}
