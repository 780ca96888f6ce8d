package io.keepsake.journal;

import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local disk that counts forces and writes and can be told to fail the next force, write or directory force
 * once (the simple form of catalog 8; the faults helper builds the full injector), and can hold data forces.
 */
final class FlakyDisk implements Disk {
    final AtomicInteger forces = new AtomicInteger();
    final AtomicInteger dataForces = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger failNextForce = new AtomicInteger();
    final AtomicInteger failNextWrite = new AtomicInteger();
    final AtomicInteger failNextDirectoryForce = new AtomicInteger();
    final AtomicInteger failNextMetadataForce = new AtomicInteger();
    /** When set, the next data force (after its gate) throws this {@link Error} instead of forcing. */
    volatile Error errorAtNextDataForce;
    /** When set, every data force waits until it is opened (after counting itself). */
    volatile CountDownLatch dataForceGate;
    /** Counted down when a data force starts waiting at {@link #dataForceGate}. */
    final CountDownLatch dataForceWaiting = new CountDownLatch(1);
    private final Disk local = Disk.local();

    private static void maybeFail(AtomicInteger armed, String what) throws IOException {
        if (armed.get() > 0 && armed.getAndDecrement() > 0) {
            throw new IOException("injected " + what + " failure");
        }
    }

    @Override
    public DiskFile open(Path file, boolean create) throws IOException {
        DiskFile real = local.open(file, create);
        return new DiskFile() {
            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                maybeFail(failNextWrite, "write");
                writes.incrementAndGet();
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
                maybeFail(failNextForce, "force");
                if (metadata) {
                    maybeFail(failNextMetadataForce, "metadata force");
                }
                forces.incrementAndGet();
                if (!metadata) {
                    dataForces.incrementAndGet();
                    awaitGate();
                    Error error = errorAtNextDataForce;
                    if (error != null) {
                        errorAtNextDataForce = null;
                        throw error;
                    }
                }
                real.force(metadata);
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    private void awaitGate() {
        CountDownLatch gate = dataForceGate;
        if (gate == null) {
            return;
        }
        dataForceWaiting.countDown();
        boolean interrupted = false;
        while (true) {
            try {
                gate.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
    }

    @Override
    public boolean delete(Path file) throws IOException {
        return local.delete(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return local.list(dir);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        maybeFail(failNextDirectoryForce, "directory force");
        local.forceDirectory(dir);
    }
}
