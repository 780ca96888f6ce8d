package io.keepsake.store;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over one store directory that exclude other threads of this JVM and other processes.
 *
 * <p>Design: a key hashes to one of {@value #STRIPES} stripes. Locking stripe {@code s} takes, in order, a
 * {@link ReentrantLock} shared by every {@link FileStore} of this JVM on the same directory, then an exclusive OS
 * lock ({@code fcntl}) on byte {@code s} of the directory's {@code +lock} file. The JVM lock comes first because the
 * JDK refuses overlapping OS locks within one JVM, and it makes the OS lock purely an inter-process guard.
 *
 * <p>One lock-file channel per directory per JVM, shared through a reference-counted registry: on Linux, closing
 * any descriptor of a file drops every lock the process holds on it, so a per-store channel would let one store's
 * close silently unlock another's writes. Acquiring an OS lock is interruptible in NIO, and an interrupt closes the
 * channel (dropping every lock on it), so {@link #lock(int)} must be called on a thread nobody interrupts:
 * {@code FileStore} runs every operation through {@link Uninterruptible}.
 *
 * <p>The lock file holds no data and is opened directly rather than through {@link io.keepsake.io.Disk}: locks are
 * coordination, not durable state, and fault-injecting disks have nothing to inject into them.
 */
final class DirectoryLocks {
    static final int STRIPES = 64;

    private static final Map<Path, DirectoryLocks> OPEN = new HashMap<>(); // guarded by OPEN

    private final Path dir;
    private final FileChannel channel;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private int users; // guarded by OPEN
    // Lock order: stripes (ascending) before OPEN; no thread waits for a stripe while holding OPEN.

    private DirectoryLocks(Path dir, FileChannel channel) {
        this.dir = dir;
        this.channel = channel;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** @return the locks of {@code dir} (an absolute, real path), opening its lock file on first use */
    static DirectoryLocks open(Path dir) throws IOException {
        synchronized (OPEN) {
            DirectoryLocks locks = OPEN.get(dir);
            if (locks == null) {
                locks = new DirectoryLocks(dir, openLockFile(dir.resolve(EntryNames.LOCK_FILE)));
                OPEN.put(dir, locks);
            }
            locks.users++;
            return locks;
        }
    }

    /**
     * Drops one user; the last one closes the lock file. It waits for every stripe held in this JVM to be unlocked
     * first, so that closing the channel never drops the OS lock of a write in flight. That wait happens without the
     * JVM-wide monitor (which would stall every open and release of every directory behind one slow write); an
     * {@link #open} of the same directory meanwhile takes this instance back into use, and the closer then leaves
     * the channel open.
     */
    void release() throws IOException {
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
        }
        for (ReentrantLock stripe : stripes) {
            stripe.lock();
        }
        try {
            synchronized (OPEN) {
                if (users == 0 && OPEN.get(dir) == this) {
                    OPEN.remove(dir);
                    channel.close();
                }
            }
        } finally {
            for (ReentrantLock stripe : stripes) {
                stripe.unlock();
            }
        }
    }

    /** @return the stripe of a key */
    static int stripeOf(String key) {
        return Math.floorMod(key.hashCode(), STRIPES);
    }

    /**
     * Locks a stripe against this JVM and other processes; blocks until it is free. Call only on a thread nobody
     * interrupts (see the class comment).
     *
     * @return the held lock, to close in a finally block
     */
    Held lock(int stripe) throws IOException {
        ReentrantLock local = stripes[stripe];
        local.lock();
        try {
            return new Held(local, channel.lock(stripe, 1, false));
        } catch (IOException | RuntimeException | Error e) {
            local.unlock();
            throw e;
        }
    }

    /** @return whether a thread of this JVM waits for the stripe (for tests) */
    boolean hasWaiters(int stripe) {
        return stripes[stripe].hasQueuedThreads();
    }

    /** A held stripe lock. */
    static final class Held implements AutoCloseable {
        private final ReentrantLock local;
        private final FileLock os;

        private Held(ReentrantLock local, FileLock os) {
            this.local = local;
            this.os = os;
        }

        @Override
        public void close() throws IOException {
            try {
                os.release();
            } catch (ClosedChannelException e) {
                // the channel was closed by the last close(); closing released the lock
            } finally {
                local.unlock();
            }
        }
    }

    private static FileChannel openLockFile(Path file) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------"))}
                : new FileAttribute<?>[0];
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), attrs);
    }
}
