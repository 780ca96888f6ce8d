package io.keepsake.journal;

import io.keepsake.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps a journal directory open by one {@link Journal} at a time, across processes and within one JVM.
 *
 * <p>Design: an exclusive OS lock ({@code fcntl}, via {@link FileChannel#tryLock()}) on the whole of the file
 * {@value #NAME} in the directory, held from open until close. A JVM-wide set of the lock files this JVM holds is
 * checked first, before the lock file is opened: on Linux, closing any descriptor of a file drops every lock the
 * process holds on it, so a second open in the same JVM that opened the file, failed to lock it and closed it again
 * would silently unlock the first journal. The set is keyed by the lock file's identity (device and inode, read
 * without opening it), so another spelling of the path, a symbolic link or a bind mount is still the same journal.
 * The JDK's {@link OverlappingFileLockException} (something else in this JVM locked the file) is translated too.
 *
 * <p>The file is created owner-only and holds the holder's process id as decimal ASCII and a newline, written
 * without a force: it only makes the error message of a refused open more useful and is never trusted. It is never
 * deleted (deleting a lock file races with a process that just opened it). Its name is not a segment name, so the
 * journal and {@link JournalTools} ignore it; the tools do not take the lock, so they work while a journal is open.
 *
 * <p>The lock file is opened directly rather than through {@link io.keepsake.io.Disk}, like the store's lock file:
 * a lock is coordination between live processes, not durable state, so there is nothing for a power-loss or
 * fault-injecting disk to model, and a lock must reach the real file system to exclude another process at all. All
 * segment data still goes through the Disk.
 */
final class JournalLock {
    /** The lock file's name inside the journal directory. */
    static final String NAME = "journal.lock";

    private static final Set<Object> HELD = new HashSet<>(); // guarded by HELD: keys of the lock files held here

    private final Object key; // as in HELD
    private final FileChannel channel;
    private boolean released; // guarded by this

    private JournalLock(Object key, FileChannel channel) {
        this.key = key;
        this.channel = channel;
    }

    /**
     * Takes the lock of an existing directory without waiting.
     *
     * @throws StorageException if another process or Journal holds it, or the lock file cannot be opened or locked
     */
    static JournalLock acquire(Path dir) {
        Path file = dir.resolve(NAME);
        Object key;
        try {
            key = identity(file);
        } catch (IOException e) {
            throw new StorageException("journal: cannot create the lock file " + file + ": " + e, e);
        }
        synchronized (HELD) {
            if (!HELD.add(key)) {
                throw alreadyOpen(dir, "a Journal of this process");
            }
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw alreadyOpen(dir, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            return new JournalLock(key, channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            synchronized (HELD) {
                HELD.remove(key);
            }
            if (e instanceof StorageException s) {
                throw s;
            }
            throw new StorageException("journal: cannot lock " + file + ": " + e, e);
        }
    }

    /** Releases the lock; idempotent. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        closeQuietly(channel); // closing drops the OS lock
        synchronized (HELD) {
            HELD.remove(key);
        }
    }

    private static StorageException alreadyOpen(Path dir, String holder) {
        return new StorageException("journal " + dir + " is already open by another process or Journal instance ("
                + holder + "); close it first");
    }

    /** @return who holds the lock, as far as the lock file says (best effort) */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(24);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9]{1,19}") ? "process " + text : "holder unknown";
        } catch (IOException | RuntimeException e) {
            return "holder unknown";
        }
    }

    /**
     * Creates the lock file (owner-only) if absent and returns its identity. Never opens an existing lock file, whose
     * descriptor's close could drop a lock this JVM holds on it; creating one exclusively fails without opening.
     */
    private static Object identity(Path file) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------"))}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attrs);
        } catch (FileAlreadyExistsException e) {
            // the usual case: the lock file outlives every journal that held it
        }
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : file.toRealPath();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing a lock file loses nothing; the OS drops the lock with the descriptor either way
        }
    }
}
