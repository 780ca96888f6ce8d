package io.keepsake.journal;

import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The byte layout of journal segments and records, and segment file names.
 *
 * <pre>
 * segment file  seg-&lt;first sequence, 20 decimal digits&gt;.ksj
 *   0   32  FileHeader (kind JOURNAL_SEGMENT, base = sequence of the first record in this segment)
 *   32  ..  records, back to back, then zero bytes up to the preallocated size
 *
 * record (big-endian), 16-byte head then the payload
 *   0   4   payload length L (0 .. MAX_PAYLOAD)
 *   4   4   CRC32C over: sequence (8 bytes) || length (4 bytes) || payload (L bytes)
 *   8   8   sequence number (&gt;= 1)
 *   16  L   payload
 * </pre>
 *
 * A record head of 16 zero bytes is never a record (sequence numbers start at 1), so zeros mark the end.
 */
final class RecordFormat {
    /** Bytes before a record's payload. */
    static final int HEAD = 16;
    /** The largest payload accepted; also caps what a reader allocates for a claimed length. */
    static final int MAX_PAYLOAD = 64 << 20;
    static final String PREFIX = "seg-";
    static final String SUFFIX = ".ksj";

    private RecordFormat() {
    }

    /** @return the file name of the segment whose first record has this sequence */
    static String fileName(long base) {
        return String.format("%s%020d%s", PREFIX, base, SUFFIX);
    }

    /** @return the base sequence encoded in a segment file name, or -1 if the name is not a segment's */
    static long baseOf(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != PREFIX.length() + 20 + SUFFIX.length() || !name.startsWith(PREFIX)
                || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long base = 0;
        for (int i = PREFIX.length(); i < PREFIX.length() + 20; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            if (base > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            base = base * 10 + digit;
        }
        return base;
    }

    /**
     * @param crc     a reusable checksum, reset here
     * @param scratch at least 12 bytes, overwritten
     * @return the record checksum of {@code length} payload bytes of {@code bytes} from {@code offset}
     */
    static int checksum(CRC32C crc, byte[] scratch, long sequence, byte[] bytes, int offset, int length) {
        crc.reset();
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        scratch[8] = (byte) (length >>> 24);
        scratch[9] = (byte) (length >>> 16);
        scratch[10] = (byte) (length >>> 8);
        scratch[11] = (byte) length;
        crc.update(scratch, 0, 12);
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
