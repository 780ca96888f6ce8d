package io.keepsake.prevalent;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.internal.format.FileKind;

/**
 * The compression and encryption stages of the format pipeline as the engine uses them: the header names the
 * codec, compression, cipher and key, and sealing/opening transforms a raw byte block. Backed by the format
 * module's pipeline.
 */
interface Sealer {

    /** @return the header new data of this kind is written under (current key id) */
    FileHeader header(FileKind kind, long base);

    /** @return {@code raw} compressed and encrypted as the header says */
    byte[] seal(byte[] raw, FileHeader header);

    /**
     * @param file   the file or store key the sealed bytes came from, for error messages
     * @param offset where the sealed bytes start within it, for error messages
     * @return the raw bytes back
     * @throws io.keepsake.TamperedException if they fail authentication (altered, or the key id holds another key)
     * @throws MissingKeyException           if they are encrypted under a key id this sealer has no key for
     * @throws io.keepsake.CorruptionException if they fail decompression
     */
    byte[] open(byte[] sealed, FileHeader header, String file, long offset);

    /**
     * @return whether {@link #open} returns its input unchanged for data under this header (no compression, no
     *         cipher), so a reader may use the sealed bytes in place instead of copying them out first
     */
    default boolean opensUnchanged(FileHeader header) {
        return false;
    }
}
