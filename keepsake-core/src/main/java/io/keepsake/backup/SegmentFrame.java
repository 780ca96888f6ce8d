package io.keepsake.backup;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.internal.format.Checksums;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import io.keepsake.journal.JournalRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one backup segment object: journal records {@code [first, last]} exactly as the file journal
 * stores them (each with its own CRC32C; payloads keep their own compression and encryption), inside a frame.
 * Big-endian:
 *
 * <pre>
 * offset size field
 *  0     32   FileHeader: kind BACKUP_SEGMENT, write/read version 1, codec/compression/cipher/key id 0,
 *             base = first sequence
 * 32     8    last sequence
 * 40     4    record count n = last - first + 1
 * 44     ..   n records: u32 payload length L | u32 CRC32C(sequence | length | payload) | u64 sequence | payload
 * end-4  4    CRC32C of every earlier byte of the object
 * </pre>
 *
 * Decoding checks everything before returning anything, so a caller applies an object wholly or not at all.
 */
final class SegmentFrame {
    /** Bytes before the first record. */
    static final int HEAD = FileHeader.SIZE + 12;
    /** Bytes before a record's payload. */
    static final int RECORD_HEAD = 16;
    /** The largest payload a journal accepts; caps what a reader believes. */
    static final int MAX_PAYLOAD = 64 << 20;

    /** A decoded, fully checked object. */
    record Decoded(long first, long last, List<JournalRecord> records) {
    }

    private SegmentFrame() {
    }

    /** @return the object holding {@code records}, which must be consecutive and non-empty */
    static byte[] encode(List<JournalRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a backup segment holds at least one record");
        }
        long first = records.get(0).sequence();
        long size = HEAD + 4;
        for (int i = 0; i < records.size(); i++) {
            JournalRecord record = records.get(i);
            if (record.sequence() != first + i) {
                throw new IllegalArgumentException("records must be consecutive: expected sequence " + (first + i)
                        + ", got " + record.sequence());
            }
            size += RECORD_HEAD + record.payload().length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a backup segment of " + size + " bytes is too large; ship fewer "
                    + "events per segment");
        }
        long last = first + records.size() - 1;
        ByteBuffer out = ByteBuffer.allocate((int) size);
        FileHeader.current(FileKind.BACKUP_SEGMENT, 0, 0, 0, 0, first).writeTo(out);
        out.putLong(last).putInt(records.size());
        for (JournalRecord record : records) {
            byte[] payload = record.payload();
            out.putInt(payload.length).putInt(recordCrc(record.sequence(), payload)).putLong(record.sequence())
                    .put(payload);
        }
        out.putInt(Checksums.crc32c(out.array(), 0, out.position()));
        return out.array();
    }

    /**
     * Checks and decodes an object.
     *
     * @param key   the object's key, named in every error
     * @param bytes the object
     * @throws CorruptionException if a checksum, length or sequence does not hold (tampered or truncated)
     * @throws FormatException     if it is not a backup segment or needs a newer reader
     */
    static Decoded decode(String key, byte[] bytes) {
        if (bytes.length < HEAD + 4) {
            throw new CorruptionException(key, 0, "backup segment of " + bytes.length + " bytes is shorter than its "
                    + "frame (" + (HEAD + 4) + " bytes): truncated");
        }
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != Checksums.crc32c(bytes, 0, bytes.length - 4)) {
            throw new CorruptionException(key, 0, "backup segment fails its CRC32C check (tampered or truncated)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        FileHeader header = FileHeader.readFrom(in, key);
        if (header.kind() != FileKind.BACKUP_SEGMENT) {
            throw new FormatException(key + ": not a backup segment (file kind " + header.kind() + ")");
        }
        long first = header.base();
        long last = in.getLong();
        int count = in.getInt();
        if (first < 1 || last < first || last - first + 1 != count) {
            throw new CorruptionException(key, FileHeader.SIZE, "backup segment claims [" + first + ", " + last
                    + "] with " + count + " records");
        }
        List<JournalRecord> records = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            int offset = in.position();
            if (in.remaining() < RECORD_HEAD) {
                throw new CorruptionException(key, offset, "record " + (first + i) + " is cut short");
            }
            int length = in.getInt();
            int crc = in.getInt();
            long sequence = in.getLong();
            if (length < 0 || length > MAX_PAYLOAD || length > in.remaining()) {
                throw new CorruptionException(key, offset, "record " + (first + i) + " claims " + length
                        + " payload bytes");
            }
            byte[] payload = new byte[length];
            in.get(payload);
            if (sequence != first + i) {
                throw new CorruptionException(key, offset, "expected record " + (first + i) + ", found " + sequence);
            }
            if (crc != recordCrc(sequence, payload)) {
                throw new CorruptionException(key, offset, "record " + sequence + " fails its CRC32C check");
            }
            records.add(new JournalRecord(sequence, payload));
        }
        if (in.hasRemaining()) {
            throw new CorruptionException(key, in.position(), in.remaining() + " bytes after the last record");
        }
        return new Decoded(first, last, records);
    }

    /** @return the journal's record checksum: CRC32C over sequence, length and payload */
    static int recordCrc(long sequence, byte[] payload) {
        ByteBuffer head = ByteBuffer.allocate(12).putLong(sequence).putInt(payload.length);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(head.array());
        crc.update(payload);
        return (int) crc.getValue();
    }
}
