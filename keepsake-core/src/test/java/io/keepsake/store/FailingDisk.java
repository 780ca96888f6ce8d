package io.keepsake.store;

import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A local disk that fails the next directory force, file force or move once when armed, and records every
 * mutating call by file name. For FileStore tests.
 */
final class FailingDisk implements Disk {
    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>(); // thread-safe
    volatile boolean failNextDirectoryForce; // test thread only
    volatile boolean failNextFileForce; // test thread only
    volatile boolean failNextMove; // test thread only
    private final Disk local = Disk.local();

    @Override
    public DiskFile open(Path file, boolean create) throws IOException {
        DiskFile real = local.open(file, create);
        log.add("open " + file.getFileName());
        return new DiskFile() {
            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                real.write(src, position);
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return real.read(dst, position);
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                real.truncate(size);
            }

            @Override
            public void force(boolean metadata) throws IOException {
                if (failNextFileForce) {
                    failNextFileForce = false;
                    throw new IOException("injected: force failed");
                }
                real.force(metadata);
                log.add("force " + file.getFileName());
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public DiskFile openRead(Path file) throws IOException {
        return local.openRead(file);
    }

    @Override
    public boolean exists(Path path) {
        return local.exists(path);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        local.createDirectories(dir);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        if (failNextMove) {
            failNextMove = false;
            throw new IOException("injected: move failed");
        }
        local.move(source, target);
        log.add("move " + source.getFileName() + " " + target.getFileName());
    }

    @Override
    public boolean delete(Path file) throws IOException {
        log.add("delete " + file.getFileName());
        return local.delete(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return local.list(dir);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        if (failNextDirectoryForce) {
            failNextDirectoryForce = false;
            throw new IOException("injected: directory force failed");
        }
        local.forceDirectory(dir);
        log.add("forceDirectory " + dir.getFileName());
    }
}
