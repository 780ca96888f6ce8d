package io.keepsake.journal;

import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A local disk that models a small volume: every file's size counts against {@code capacity}, a write that would
 * grow the files past it fails like a full disk, and {@link #usableSpace} reports what is left.
 */
final class SmallDisk implements Disk {
    private final Disk local = Disk.local();
    private final long capacity;
    private final Map<Path, Long> sizes = new HashMap<>(); // guarded by this

    SmallDisk(long capacity) {
        this.capacity = capacity;
    }

    synchronized long used() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    private synchronized void grow(Path file, long end) throws IOException {
        long size = sizes.getOrDefault(file, 0L);
        if (end > size) {
            if (used() + end - size > capacity) {
                throw new IOException(file + ": No space left on device");
            }
            sizes.put(file, end);
        }
    }

    private synchronized void cut(Path file, long size) {
        sizes.computeIfPresent(file, (f, old) -> Math.min(old, size));
    }

    @Override
    public long usableSpace(Path dir) {
        return capacity - used();
    }

    @Override
    public DiskFile open(Path file, boolean create) throws IOException {
        DiskFile real = local.open(file, create);
        synchronized (this) {
            sizes.putIfAbsent(file, real.size());
        }
        return new DiskFile() {
            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                grow(file, position + src.remaining());
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
                cut(file, size);
                real.truncate(size);
            }

            @Override
            public void force(boolean metadata) throws IOException {
                real.force(metadata);
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
        local.move(source, target);
        synchronized (this) {
            Long size = sizes.remove(source);
            if (size != null) {
                sizes.put(target, size);
            }
        }
    }

    @Override
    public boolean delete(Path file) throws IOException {
        synchronized (this) {
            sizes.remove(file);
        }
        return local.delete(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return local.list(dir);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        local.forceDirectory(dir);
    }
}
