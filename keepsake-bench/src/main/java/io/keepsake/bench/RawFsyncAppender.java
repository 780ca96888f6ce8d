package io.keepsake.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The physical limit for the journal's write pattern: the journal writes into segments that were preallocated
 * (zero-filled and forced with their metadata once) and forces with {@code force(false)} (fdatasync), which then
 * flushes data only, never a size change. This baseline does the same with nothing else: at open it zero-fills a
 * region and forces it with {@code force(true)} (outside the timed window, since the harness starts timing after
 * the constructor); each append overwrites the next 100 bytes of the region and calls {@code force(false)}. When
 * the region is used up it starts again at its beginning (still an overwrite, so still no metadata). No framing, no
 * checksum. Meant for one thread; appends are serialised.
 */
final class RawFsyncAppender implements Appender {
    /** Region preallocated at open: the journal's default segment size. */
    static final long DEFAULT_REGION = 64L << 20;

    private final FileChannel channel;
    private final long region;
    private long position; // guarded by this: where the next event is written

    RawFsyncAppender(Path dir) throws IOException {
        this(dir, DEFAULT_REGION);
    }

    RawFsyncAppender(Path dir, long region) throws IOException {
        this.region = region;
        channel = FileChannel.open(dir.resolve("raw.log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < region; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), region - at));
                at += channel.write(zeros, at);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String system() {
        return "raw-fsync";
    }

    @Override
    public synchronized void append(byte[] event) throws IOException {
        if (position + event.length > region) {
            position = 0;
        }
        ByteBuffer buffer = ByteBuffer.wrap(event);
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
