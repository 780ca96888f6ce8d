package io.keepsake.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The physical limit: a plain {@link FileChannel} append of the event followed by {@code force(false)}
 * (fdatasync) per event, no framing, no checksum. Meant for one thread; appends are serialised.
 */
final class RawFsyncAppender implements Appender {
    private final FileChannel channel; // guarded by this

    RawFsyncAppender(Path dir) throws IOException {
        channel = FileChannel.open(dir.resolve("raw.log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    @Override
    public String system() {
        return "raw-fsync";
    }

    @Override
    public synchronized void append(byte[] event) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(event);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
