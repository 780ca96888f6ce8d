package io.keepsake.bench.ref;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The baselines a durable ref is held against: plain file operations with no framing and no checksum. */
final class RawUpdaters {
    private RawUpdaters() {
    }

    /** The physical limit of an in-place update: write {@code size} bytes at offset 0, then fdatasync. */
    static final class InPlaceFsync implements Updater {
        private final FileChannel channel;
        private final ByteBuffer value;

        InPlaceFsync(Path dir, int size) throws IOException {
            channel = FileChannel.open(dir.resolve("value"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            value = ByteBuffer.allocate(size);
        }

        @Override
        public String system() {
            return "raw-fsync";
        }

        @Override
        public void update() throws IOException {
            value.putLong(0, value.getLong(0) + 1).clear();
            while (value.hasRemaining()) {
                channel.write(value, value.position());
            }
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * What a crash-safe file replace needs: write {@code size} bytes to a new temporary file, force it, rename it
     * over the value file, force the directory. With {@code forceDirectory == false} and a text value this is the
     * duratom-like baseline: whole value to a temp file, fsync, rename (a rename that a power cut may undo).
     */
    static final class Replace implements Updater {
        private final Path dir;
        private final Path target;
        private final Path temp;
        private final int size;
        private final boolean forceDirectory;
        private long counter;

        Replace(Path dir, int size, boolean forceDirectory) {
            this.dir = dir;
            this.target = dir.resolve("value");
            this.temp = dir.resolve("value.tmp");
            this.size = size;
            this.forceDirectory = forceDirectory;
        }

        @Override
        public String system() {
            return forceDirectory ? "raw-durable-replace" : "duratom-like";
        }

        @Override
        public void update() throws IOException {
            counter++;
            ByteBuffer bytes;
            if (forceDirectory) {
                bytes = ByteBuffer.allocate(size).putLong(0, counter);
            } else {
                bytes = ByteBuffer.wrap(Long.toString(counter).getBytes(StandardCharsets.UTF_8));
            }
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(false);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            if (forceDirectory) {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                }
            }
        }

        @Override
        public void close() {
        }
    }
}
