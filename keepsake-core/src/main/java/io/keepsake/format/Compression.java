package io.keepsake.format;

import io.keepsake.CorruptionException;
import io.keepsake.FormatException;

/**
 * The second stage of the pipeline: how encoded bytes are compressed. Ids are permanent and written into
 * {@link FileHeader#compressionId()}.
 *
 * <p>LZ4 output is a u32 big-endian uncompressed length followed by one LZ4 block. Decompression checks that
 * length before allocating anything: it must be within the caller's limit and within what the block could
 * possibly expand to, so a bogus length is a {@link CorruptionException}, never an {@link OutOfMemoryError}.
 */
public enum Compression {
    /** Id 0: bytes are stored as they are. */
    NONE(0) {
        @Override
        public byte[] compress(byte[] data) {
            return data;
        }

        @Override
        public byte[] decompress(byte[] data, int maxLength, String name, long offset) {
            return data;
        }
    },
    /** Id 1: an LZ4 block prefixed by the uncompressed length. */
    LZ4(1) {
        @Override
        public byte[] compress(byte[] data) {
            return Lz4Block.compress(data);
        }

        @Override
        public byte[] decompress(byte[] data, int maxLength, String name, long offset) {
            return Lz4Block.decompress(data, maxLength, name, offset);
        }
    };

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    /** @return the permanent id of this compression */
    public int id() {
        return id;
    }

    /** @return the compression with this id @throws FormatException if this build knows none */
    public static Compression of(int id) {
        for (Compression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new FormatException("unknown compression id " + id + " (this build knows 0 = none, 1 = LZ4)");
    }

    /** @return {@code data} compressed (for {@link #NONE}, {@code data} itself) */
    public abstract byte[] compress(byte[] data);

    /**
     * @param data      bytes made by {@link #compress}
     * @param maxLength the largest uncompressed size to accept
     * @param name      the file or key the bytes came from, for error messages
     * @param offset    where the bytes start within it, for error messages
     * @return the uncompressed bytes
     * @throws CorruptionException if the bytes are malformed or declare a length over the limit
     */
    public abstract byte[] decompress(byte[] data, int maxLength, String name, long offset);
}
