package io.keepsake.prevalent;

import java.io.InputStream;
import java.io.OutputStream;

/** Streams a whole state to and from bytes, so snapshots need not fit in one array. */
interface StateCodec {

    /** Writes the state's codec bytes to {@code out}. @throws io.keepsake.CodecException if it cannot */
    void write(Object state, OutputStream out);

    /** @return the state decoded from {@code in} @throws io.keepsake.CodecException if it cannot */
    Object read(InputStream in);
}
