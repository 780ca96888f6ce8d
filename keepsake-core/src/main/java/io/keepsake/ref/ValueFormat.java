package io.keepsake.ref;

/**
 * How a ref turns a value into one self-describing, checksummed frame and back: the seam between the ref engine
 * and the format layer's pipeline.
 */
interface ValueFormat {

    /**
     * @return the sealed frame
     * @throws io.keepsake.CodecException if the value cannot be encoded
     */
    byte[] seal(Object value);

    /**
     * @param name where the bytes came from, for error messages
     * @return the value
     * @throws io.keepsake.CorruptionException if the frame fails its checksum
     * @throws io.keepsake.FormatException     if the bytes are not a frame this build reads
     * @throws io.keepsake.CodecException      if the bytes do not decode to a registered type
     */
    Object open(byte[] bytes, String name);
}
