package io.keepsake.prevalent;

import java.io.OutputStream;
import java.util.function.ObjIntConsumer;

/**
 * Cuts a byte stream into chunks of a fixed size and hands each full chunk (and the last partial one, on close)
 * to a sink, which owns the array it is given. Each array may leave room before and after the chunk's bytes
 * ({@code head} and {@code tail}), so a frame can be built around them in place: the bytes of a chunk of length
 * {@code n} are at {@code [head, head + n)} of an array of {@code head + chunkSize + tail} bytes. Not thread-safe.
 */
final class ChunkOutputStream extends OutputStream {
    private final int chunkSize;
    private final int head;
    private final int tail;
    private final ObjIntConsumer<byte[]> sink;
    private byte[] buffer;
    private int length;
    private boolean closed;

    ChunkOutputStream(int chunkSize, ObjIntConsumer<byte[]> sink) {
        this(chunkSize, 0, 0, sink);
    }

    ChunkOutputStream(int chunkSize, int head, int tail, ObjIntConsumer<byte[]> sink) {
        this.chunkSize = chunkSize;
        this.head = head;
        this.tail = tail;
        this.sink = sink;
        this.buffer = new byte[head + chunkSize + tail];
    }

    @Override
    public void write(int b) {
        if (length == chunkSize) {
            emit();
        }
        buffer[head + length++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int count) {
        while (count > 0) {
            if (length == chunkSize) {
                emit();
            }
            int n = Math.min(count, chunkSize - length);
            System.arraycopy(bytes, offset, buffer, head + length, n);
            length += n;
            offset += n;
            count -= n;
        }
    }

    private void emit() {
        sink.accept(buffer, length);
        buffer = new byte[head + chunkSize + tail];
        length = 0;
    }

    /** Emits the last chunk (also when the stream is empty, so every snapshot has at least one chunk). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sink.accept(buffer, length);
            buffer = null;
        }
    }
}
