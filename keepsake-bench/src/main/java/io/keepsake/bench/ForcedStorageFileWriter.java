package io.keepsake.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.store.storage.types.StorageFile;
import org.eclipse.store.storage.types.StorageFileWriter;
import org.eclipse.store.storage.types.StorageLiveDataFile;

/**
 * The strongest durability EclipseStore 2.1.3 can be given on a local file system. Out of the box its NIO file
 * layer writes with {@code FileChannel.write} and never calls {@code force} (so a returned {@code store} survives a
 * process crash, not a power loss), and it has no setting that changes that. Its public extension point for writes
 * is {@link StorageFileWriter.Provider} ({@code EmbeddedStorageFoundation.setWriterProvider}): this writer does
 * what the default does, then forces the file's data (fdatasync) before the write counts as done. A store writes
 * its data file, then its transactions-log entry, so each {@code store} costs two forces. File creations and
 * deletions (the directory) are not forced: EclipseStore offers no hook for that.
 */
final class ForcedStorageFileWriter implements StorageFileWriter, StorageFileWriter.Provider {
    private final LongAdder forces = new LongAdder();

    /** @return how many times a file was forced, for tests */
    long forces() {
        return forces.sum();
    }

    @Override
    public StorageFileWriter provideWriter() {
        return this;
    }

    @Override
    public long write(StorageFile file, Iterable<? extends ByteBuffer> buffers) {
        long written = file.writeBytes(buffers);
        force(file);
        return written;
    }

    @Override
    public long writeTransfer(StorageLiveDataFile sourceFile, long sourceOffset, long copyLength,
                              StorageLiveDataFile targetFile) {
        long written = sourceFile.copyTo(targetFile, sourceOffset, copyLength);
        force(targetFile);
        return written;
    }

    /** fdatasync through a second descriptor: on Linux it flushes the file's dirty pages whoever wrote them. */
    private void force(StorageFile file) {
        try (FileChannel channel = FileChannel.open(Path.of(file.file().toPathString()), StandardOpenOption.WRITE)) {
            channel.force(false);
            forces.increment();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + file.identifier(), e);
        }
    }
}
