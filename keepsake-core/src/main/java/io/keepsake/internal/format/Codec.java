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

    /**
     * Encodes {@code value} as {@link #encode(Object)} does, for a reader that will decode it with
     * {@link #decode(byte[], java.lang.reflect.Type)} and the same {@code declared} type. The default ignores
     * {@code declared}.
     *
     * @param declared the full generic type the value is kept as (such as {@code List<Item>}), or null
     * @return the encoded bytes
     * @throws io.keepsake.CodecException if the type is not registered or the value cannot be serialized
     */
    default byte[] encode(Object value, java.lang.reflect.Type declared) {
        return encode(value);
    }

    /**
     * Decodes {@code bytes} as {@link #decode(byte[])} does, reading the value as the generic type {@code target}
     * (such as {@code Map<String, Long>}) when the bytes name a type that {@code target} is a form of. The default
     * ignores {@code target}.
     *
     * @param target the full type the caller wants, or null for the registered type's own
     * @return the decoded value
     * @throws io.keepsake.CodecException if the bytes do not decode to a registered type
     */
    default Object decode(byte[] bytes, java.lang.reflect.Type target) {
        return decode(bytes);
    }

    /** @return the codec with id 0, whose values are byte arrays passed through unchanged (and not copied) */
    static Codec raw() {
        return RawCodec.INSTANCE;
    }
}
