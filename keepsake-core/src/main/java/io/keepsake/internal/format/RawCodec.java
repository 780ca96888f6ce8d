package io.keepsake.internal.format;

import io.keepsake.CodecException;

/** Codec id 0: values are byte arrays and pass through unchanged (not copied). */
final class RawCodec implements Codec {
    static final RawCodec INSTANCE = new RawCodec();
    static final int ID = 0;

    private RawCodec() {
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public byte[] encode(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        throw new CodecException("the raw codec encodes only byte[], not "
                + (value == null ? "null" : value.getClass().getName()));
    }

    @Override
    public Object decode(byte[] bytes) {
        return bytes;
    }

    @Override
    public String toString() {
        return "raw";
    }
}
