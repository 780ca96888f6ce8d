package io.keepsake.testkit.fault;

import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A file opened through a {@link FaultyDisk}: every call goes through the disk's fault rules and lock. */
final class FaultyFile implements DiskFile {
    private final FaultyDisk disk;
    private final DiskFile real;
    private final PowerLossModel.Inode inode;
    private final Path openedAs;
    private final boolean writable;
    /** Whether closed (by the caller or by a power cut); guarded by the disk's lock. */
    private boolean closed;

    FaultyFile(FaultyDisk disk, DiskFile real, PowerLossModel.Inode inode, Path openedAs, boolean writable) {
        this.disk = disk;
        this.real = real;
        this.inode = inode;
        this.openedAs = openedAs;
        this.writable = writable;
    }

    Path openedAs() {
        return openedAs;
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        synchronized (disk) {
            checkOpen();
            if (!writable) {
                throw new IOException("not open for writing: " + openedAs);
            }
            int torn = disk.beforeWrite(openedAs, src.remaining());
            if (torn >= 0) {
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + torn);
                real.write(part, position);
                inode.written(position, position + torn);
                throw new IOException("injected torn write (" + torn + " of " + src.remaining() + " bytes): "
                        + openedAs);
            }
            int length = src.remaining();
            real.write(src, position);
            inode.written(position, position + length);
        }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        synchronized (disk) {
            checkOpen();
            disk.before(DiskOp.READ, openedAs);
            return real.read(dst, position);
        }
    }

    @Override
    public long size() throws IOException {
        synchronized (disk) {
            checkOpen();
            disk.before(DiskOp.SIZE, openedAs);
            return real.size();
        }
    }

    @Override
    public void truncate(long size) throws IOException {
        synchronized (disk) {
            checkOpen();
            disk.before(DiskOp.TRUNCATE, openedAs);
            real.truncate(size);
            inode.truncated(size);
        }
    }

    /** Forces the real file, then records what the force made durable (see {@link PowerLossModel}). */
    @Override
    public void force(boolean metadata) throws IOException {
        synchronized (disk) {
            checkOpen();
            disk.before(DiskOp.FORCE, openedAs);
            if (disk.ignoresFileForce()) {
                return;
            }
            if (disk.realForces()) {
                real.force(metadata);
            }
            inode.forced(real, openedAs, metadata);
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (disk) {
            if (closed) {
                return;
            }
            closed = true;
            disk.closed(this);
            real.close();
        }
    }

    /** Called by a power cut: the handle is gone, later calls fail. */
    void cut() {
        closed = true;
        try {
            real.close();
        } catch (IOException ignored) {
            // the machine is off; nothing to report
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("file handle is closed: " + openedAs);
        }
    }
}
