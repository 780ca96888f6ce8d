package io.keepsake.internal.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C, the checksum of every Keepsake header, record and chunk (hardware-accelerated on x86 and ARM). */
public final class Checksums {
    private Checksums() {
    }

    /** @return the CRC32C of {@code length} bytes of {@code bytes} from {@code offset} */
    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** @return the CRC32C of the remaining bytes of {@code buffer}, leaving its position unchanged */
    public static int crc32c(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate());
        return (int) crc.getValue();
    }
}
