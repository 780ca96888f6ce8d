package io.keepsake.prevalent;

import io.keepsake.internal.format.SmileCodec;
import java.io.InputStream;
import java.io.OutputStream;

/** A {@link StateCodec} that streams through a {@link SmileCodec}: no state size limit, no whole-state array. */
final class SmileStateCodec implements StateCodec {
    private final SmileCodec codec;

    SmileStateCodec(SmileCodec codec) {
        this.codec = codec;
    }

    @Override
    public void write(Object state, OutputStream out) {
        codec.encodeTo(state, out);
    }

    @Override
    public Object read(InputStream in) {
        return codec.decodeFrom(in);
    }
}
