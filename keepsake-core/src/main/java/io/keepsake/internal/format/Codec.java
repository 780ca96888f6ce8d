package io.keepsake.internal.format;

/**
 * Turns values into bytes and back: the first stage of the pipeline
 * {@code value -> bytes (codec) -> compress -> encrypt}. Decoding only ever instantiates types the codec was told
 * about (no Java deserialization, no gadgets).
 */
public interface Codec {

    /** @return the permanent id written into {@link FileHeader#codecId()} */
    int id();

    /**
     * @return the encoded bytes, which name the value's registered type
     * @throws io.keepsake.CodecException if the type is not registered or the value cannot be serialized
     */
    byte[] encode(Object value);

    /**
     * @return the decoded value, an instance of a registered type
     * @throws io.keepsake.CodecException if the bytes do not decode to a registered type
     */
    Object decode(byte[] bytes);

    /**
     * Decodes {@code length} bytes of {@code bytes} from {@code offset}, as {@link #decode(byte[])} decodes a copy
     * of them. The default copies; a codec that can read in place (Smile) overrides this to save the copy, which
     * matters when recovery decodes millions of journal records.
     *
     * @return the decoded value, an instance of a registered type
     * @throws io.keepsake.CodecException if the bytes do not decode to a registered type
     */
    default Object decode(byte[] bytes, int offset, int length) {
        return decode(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** @return the codec with id 0, whose values are byte arrays passed through unchanged (and not copied) */
    static Codec raw() {
        return RawCodec.INSTANCE;
    }
}
