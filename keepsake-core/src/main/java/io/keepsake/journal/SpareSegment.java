package io.keepsake.journal;

import io.keepsake.internal.format.FileHeader;
import io.keepsake.io.Disk;
import io.keepsake.internal.concurrent.Worker;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The next segment file, prepared by a background {@link Worker} once the active segment is half full: a temporary
 * file ({@value #NAME}) zero-filled to the next segment's capacity (see {@link SegmentWriter}) and forced with its
 * metadata. A roll then writes only the
 * header, renames the file and forces the directory, instead of stalling every appender while a whole segment is
 * written. A failure while preparing surfaces at the roll that needs the spare, which fails like any other write
 * (fail-stop); it is never skipped silently, whatever was thrown ({@link Error} included: the worker hands it to
 * {@link #ready}). A spare left behind by a crash is deleted at the next open.
 */
final class SpareSegment {
    static final String NAME = "next-segment.ksj.tmp";

    private final Disk disk;
    private final Path dir;
    private final Path path;
    private final long capacity;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private SpareSegment(Disk disk, Path dir, long capacity) {
        this.disk = disk;
        this.dir = dir;
        this.path = dir.resolve(NAME);
        this.capacity = capacity;
    }

    /** Starts preparing a spare of {@code capacity} bytes on its own worker thread. */
    static SpareSegment start(Disk disk, Path dir, long capacity) {
        SpareSegment spare = new SpareSegment(disk, dir, capacity);
        Worker.start("keepsake-journal-spare-" + dir.getFileName(), spare::prepare, spare.ready::completeExceptionally);
        return spare;
    }

    long capacity() {
        return capacity;
    }

    private void prepare() throws IOException {
        try (DiskFile file = disk.open(path, true)) {
            file.truncate(0);
            Segment.zeroFill(file, 0, capacity);
            file.force(true);
        }
        ready.complete(null); // only once the handle is closed: discard() must leave no handle open
    }

    /**
     * Waits for the spare, writes the header of segment {@code base} into it and renames it to that segment's
     * name. The caller must force the directory before any record in it is acknowledged.
     */
    Segment become(long base, FileHeader template) throws IOException {
        awaitReady();
        FileHeader header = new FileHeader(template.kind(), template.writeVersion(), template.readVersion(),
                template.codecId(), template.compressionId(), template.cipherId(), template.keyId(), base);
        try (DiskFile file = disk.open(path, false)) {
            file.write(ByteBuffer.wrap(header.toBytes()), 0);
            file.force(false);
        }
        Path target = dir.resolve(RecordFormat.fileName(base));
        disk.move(path, target);
        return new Segment(target, base, disk.open(target, false), capacity, FileHeader.SIZE);
    }

    /** Waits for the preparation to end and deletes the spare; failures are ignored (nothing depends on it). */
    void discard() {
        try {
            ready.handle((ok, failed) -> null).join();
            disk.delete(path);
        } catch (IOException | RuntimeException e) {
            // A leftover spare is deleted at the next open.
        }
    }

    private void awaitReady() throws IOException {
        try {
            ready.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException("preparing the next journal segment " + path + " failed: " + cause, cause);
        }
    }
}
