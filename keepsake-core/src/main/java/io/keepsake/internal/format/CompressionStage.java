package io.keepsake.internal.format;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;
import io.keepsake.format.Compression;

/**
 * The second stage of the pipeline: compresses encoded bytes as a {@link Compression} says. Ids are permanent and
 * written into {@link FileHeader#compressionId()}.
 *
 * <p>LZ4 output is a u32 big-endian uncompressed length followed by one LZ4 block. Decompression checks that
 * length before allocating anything: it must be within the caller's limit and within what the block could
 * possibly expand to, so a bogus length is a {@link CorruptionException}, never an {@link OutOfMemoryError}.
 */
public final class CompressionStage {
    private CompressionStage() {
    }

    /** @return the compression with this id @throws FormatException if this build knows none */
    public static Compression of(int id) {
        for (Compression c : Compression.values()) {
            if (c.id() == id) {
                return c;
            }
        }
        throw new FormatException("unknown compression id " + id + " (this build knows 0 = none, 1 = LZ4)");
    }

    /** @return {@code data} compressed (for {@link Compression#NONE}, {@code data} itself) */
    public static byte[] compress(Compression compression, byte[] data) {
        return switch (compression) {
            case NONE -> data;
            case LZ4 -> Lz4Block.compress(data);
        };
    }

    /**
     * @param data      bytes made by {@link #compress}
     * @param maxLength the largest uncompressed size to accept
     * @param name      the file or key the bytes came from, for error messages
     * @param offset    where the bytes start within it, for error messages
     * @return the uncompressed bytes
     * @throws CorruptionException if the bytes are malformed or declare a length over the limit
     */
    public static byte[] decompress(Compression compression, byte[] data, int maxLength, String name, long offset) {
        return switch (compression) {
            case NONE -> data;
            case LZ4 -> Lz4Block.decompress(data, maxLength, name, offset);
        };
    }
}
