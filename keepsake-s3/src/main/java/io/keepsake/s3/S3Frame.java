package io.keepsake.s3;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The bytes of one stored object: a 32-byte {@link FileHeader} (kind {@link FileKind#STORE_ENTRY}, raw codec,
 * no compression or cipher, base = a random 64-bit write id) followed by the value.
 */
final class S3Frame {
    /** The user-metadata name (after {@code x-amz-meta-}) that repeats the write id. */
    static final String WRITE_ID = "keepsake-write";
    /** The bytes before the value in every object. */
    static final int HEADER_SIZE = FileHeader.SIZE;
    private static final SecureRandom RANDOM = new SecureRandom();

    private S3Frame() {
    }

    /** @return a fresh random write id */
    static long newWriteId() {
        return RANDOM.nextLong();
    }

    static String hex(long writeId) {
        return HexFormat.of().toHexDigits(writeId);
    }

    /** @return header + value, in one new array */
    static byte[] encode(long writeId, byte[] value) {
        byte[] out = new byte[FileHeader.SIZE + value.length];
        FileHeader.current(FileKind.STORE_ENTRY, 0, 0, 0, 0, writeId).writeTo(ByteBuffer.wrap(out));
        System.arraycopy(value, 0, out, FileHeader.SIZE, value.length);
        return out;
    }

    /**
     * @return the value inside {@code object}
     * @throws CorruptionException if the object is not a Keepsake store entry
     */
    static byte[] decode(byte[] object, String where) {
        FileHeader header;
        try {
            header = FileHeader.readFrom(ByteBuffer.wrap(object), where);
        } catch (FormatException e) {
            throw new CorruptionException(where, 0, "not a Keepsake store object: " + e.getMessage());
        }
        if (header.kind() != FileKind.STORE_ENTRY || header.codecId() != 0 || header.compressionId() != 0
                || header.cipherId() != 0) {
            throw new CorruptionException(where, 0, "unexpected header " + header + " for a store object");
        }
        return Arrays.copyOfRange(object, FileHeader.SIZE, object.length);
    }
}
