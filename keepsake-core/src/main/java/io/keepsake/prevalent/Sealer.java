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

    /** @return the raw bytes back @throws io.keepsake.KeepsakeException if they fail authentication or decoding */
    byte[] open(byte[] sealed, FileHeader header);

    /**
     * @return whether {@link #open} returns its input unchanged for data under this header (no compression, no
     *         cipher), so a reader may use the sealed bytes in place instead of copying them out first
     */
    default boolean opensUnchanged(FileHeader header) {
        return false;
    }
}
