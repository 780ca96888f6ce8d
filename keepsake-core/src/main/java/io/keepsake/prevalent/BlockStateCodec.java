package io.keepsake.prevalent;

import io.keepsake.CodecException;
import io.keepsake.internal.format.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A {@link StateCodec} over a block {@link Codec}: the whole state is encoded into one array and then streamed
 * into chunks. Limits a state's encoded size to what one Java array holds (2 GiB) until the codec can stream.
 */
final class BlockStateCodec implements StateCodec {
    private final Codec codec;

    BlockStateCodec(Codec codec) {
        this.codec = codec;
    }

    @Override
    public void write(Object state, OutputStream out) {
        byte[] bytes = codec.encode(state);
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Object read(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OutOfMemoryError e) {
            throw new CodecException("snapshot state is larger than one array can hold", e);
        }
        return codec.decode(bytes);
    }
}
