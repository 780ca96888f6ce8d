package io.keepsake.internal.format;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The self-describing frame of one stored value. Big-endian:
 *
 * <pre>
 * offset    size  field
 *  0        32    {@link FileHeader} (kind VALUE, base 0)
 * 32         4    payload length n (u32)
 * 36         n    payload (pipeline output: codec, then compression, then cipher, as the header says)
 * 36+n       4    CRC32C of bytes 0 .. 36+n-1
 * </pre>
 *
 * Opening checks, in order: the size and magic, the length against the actual size, the CRC32C, then the header
 * (version, kind). A damaged frame is a {@link CorruptionException}; bytes that are intact but not a value frame
 * this build can read are a {@link FormatException}.
 */
final class ValueFrame {
    static final int PAYLOAD_OFFSET = FileHeader.SIZE + 4;
    static final int OVERHEAD = PAYLOAD_OFFSET + 4;

    private ValueFrame() {
    }

    static byte[] seal(FileHeader header, byte[] payload) {
        if (payload.length > Integer.MAX_VALUE - OVERHEAD - 8) {
            throw new io.keepsake.CodecException("value of " + payload.length + " bytes is too large for a frame");
        }
        ByteBuffer b = ByteBuffer.allocate(OVERHEAD + payload.length);
        header.writeTo(b);
        b.putInt(payload.length).put(payload);
        b.putInt(Checksums.crc32c(b.array(), 0, PAYLOAD_OFFSET + payload.length));
        return b.array();
    }

    /** @return the checked header of a frame whose length and CRC32C are verified */
    static FileHeader header(byte[] bytes, String name) {
        if (bytes.length < OVERHEAD) {
            throw new CorruptionException(name, 0, "value frame truncated: " + bytes.length
                    + " bytes, a frame has at least " + OVERHEAD);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != FileHeader.MAGIC) {
            throw new FormatException(name + ": not a Keepsake value frame (bad magic)");
        }
        if (bytes[4] != FileKind.VALUE.id() && Checksums.crc32c(bytes, 0, 28) == b.getInt(28)) {
            throw new FormatException(name + ": an intact header of file kind id " + (bytes[4] & 0xFF)
                    + ", not a value frame");
        }
        long length = b.getInt(FileHeader.SIZE) & 0xFFFFFFFFL;
        if (length != bytes.length - OVERHEAD) {
            throw new CorruptionException(name, FileHeader.SIZE, "value frame says its payload has " + length
                    + " bytes, but " + (bytes.length - OVERHEAD) + " are there");
        }
        int end = PAYLOAD_OFFSET + (int) length;
        if (Checksums.crc32c(bytes, 0, end) != b.getInt(end)) {
            throw new CorruptionException(name, 0, "value frame fails its CRC32C check");
        }
        FileHeader header = FileHeader.readFrom(b, name);
        if (header.kind() != FileKind.VALUE) {
            throw new FormatException(name + ": a " + header.kind() + " header, not a value frame");
        }
        return header;
    }

    static byte[] payload(byte[] bytes) {
        return Arrays.copyOfRange(bytes, PAYLOAD_OFFSET, bytes.length - 4);
    }
}
