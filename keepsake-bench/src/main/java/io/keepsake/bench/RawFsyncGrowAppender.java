package io.keepsake.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A plain {@link FileChannel} append to a growing file followed by {@code force(false)} per event. Not the physical
 * limit for the journal's write pattern: every force of a growing file also commits the file size (a metadata
 * journal commit in ext4/xfs), which the preallocated journal segments never pay. Kept, labelled
 * {@code raw-fsync-grow}, to show what preallocation buys; the baseline is {@link RawFsyncAppender}.
 */
final class RawFsyncGrowAppender implements Appender {
    private final FileChannel channel; // guarded by this

    RawFsyncGrowAppender(Path dir) throws IOException {
        channel = FileChannel.open(dir.resolve("raw.log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    @Override
    public String system() {
        return "raw-fsync-grow";
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
