package io.keepsake.internal.format;

import io.keepsake.CorruptionException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** LZ4 with a length prefix: {@code u32 uncompressed length | LZ4 block}. Pure Java, bounds-checked decoder. */
final class Lz4Block {
    private static final int LENGTH_BYTES = 4;
    /** LZ4 cannot expand a block by more than 255 output bytes per input byte (run-length extension bytes). */
    private static final long MAX_RATIO = 255;
    private static final LZ4Factory LZ4 = LZ4Factory.fastestJavaInstance();
    private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();

    private Lz4Block() {
    }

    static byte[] compress(byte[] data) {
        int max = COMPRESSOR.maxCompressedLength(data.length);
        byte[] out = new byte[LENGTH_BYTES + max];
        ByteBuffer.wrap(out).putInt(data.length);
        int n = COMPRESSOR.compress(data, 0, data.length, out, LENGTH_BYTES, max);
        return Arrays.copyOf(out, LENGTH_BYTES + n);
    }

    static byte[] decompress(byte[] data, int maxLength, String name, long offset) {
        if (data.length < LENGTH_BYTES + 1) {
            throw new CorruptionException(name, offset, "LZ4 payload of " + data.length
                    + " bytes is too short for its length prefix and block");
        }
        long length = ByteBuffer.wrap(data).getInt() & 0xFFFFFFFFL;
        if (length > maxLength) {
            throw new CorruptionException(name, offset, "LZ4 payload declares " + length
                    + " uncompressed bytes, over the limit of " + maxLength);
        }
        long block = data.length - LENGTH_BYTES;
        if (length > block * MAX_RATIO) {
            throw new CorruptionException(name, offset, "LZ4 payload declares " + length
                    + " uncompressed bytes, more than a block of " + block + " bytes can hold");
        }
        byte[] out = new byte[(int) length];
        int n;
        try {
            n = DECOMPRESSOR.decompress(data, LENGTH_BYTES, (int) block, out, 0, out.length);
        } catch (LZ4Exception | IndexOutOfBoundsException e) {
            throw new CorruptionException(name, offset, "malformed LZ4 block (" + e.getMessage() + ")");
        }
        if (n != length) {
            throw new CorruptionException(name, offset, "LZ4 block holds " + n + " bytes, its prefix says "
                    + length);
        }
        return out;
    }
}
