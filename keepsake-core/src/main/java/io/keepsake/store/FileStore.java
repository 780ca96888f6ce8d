package io.keepsake.store;

import io.keepsake.ClosedException;
import io.keepsake.CorruptionException;
import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The embedded {@link Store}: one file per key in one directory, every change forced before it is acknowledged.
 *
 * <p>Files: each key is one entry file (layout in {@code EntryFile}: a {@code STORE_ENTRY} header whose base is the
 * version number, the key, the value, a CRC32C). Keys map to flat file names with {@code /} as {@code ~} and
 * upper case escaped, long keys hashed (see {@code EntryNames}), so no key can reach outside the directory.
 * Files and directories are owner-only. All data access goes through the {@link Disk} given at open.
 *
 * <p>Durability: a put writes a temporary file in the directory, forces it, atomically renames it over the entry
 * file and forces the directory; a delete removes the file and forces the directory. If the rename, the delete or
 * the directory force fails, what readers see may be ahead of what is durable, so the store refuses further writes
 * ({@link FailStopException}) until reopened. A failure while writing or forcing the temporary file changes
 * nothing visible and only fails that call ({@link StorageException}).
 *
 * <p>Concurrency: a read opens the entry file and reads it whole; renames are atomic, so it sees the old or the new
 * file, never a mix, and takes no lock. A put or delete holds its key's stripe lock (see {@code DirectoryLocks}:
 * a lock shared by this JVM's stores on the directory plus an OS lock on the {@code +lock} file) across
 * read-version, compare and write, so compare-and-set holds across threads and processes. Every operation's file
 * work runs on a virtual thread nobody interrupts ({@code Uninterruptible}): NIO closes a channel on interrupt,
 * which would fail a write half-way and fail-stop the store, so an interrupted caller's call completes normally and
 * the caller keeps its interrupt status. At open, temporary files left by a crash are deleted, each under its
 * stripe lock so that a live writer's temporary file is never taken.
 *
 * <p>Versions: a new key starts at {@code (currentTimeMillis << 20) | random 20 bits} and every put adds one, so
 * the token (the decimal number) changes on every put, and a deleted and re-created key gets back a version an
 * old reader may still hold only if the clock went back or, within one millisecond, with odds of about 2^-20
 * per version of the old incarnation. Calls after {@link #close()} throw {@link io.keepsake.ClosedException}.
 */
public final class FileStore implements Store {
    private final Path dir;
    private final Disk disk;
    private final DirectoryLocks locks;
    private volatile boolean closed; // set once under this (close); read without a lock
    private volatile Throwable failure; // set under a stripe lock when a rename, delete or directory force failed

    private FileStore(Path dir, Disk disk, DirectoryLocks locks) {
        this.dir = dir;
        this.disk = disk;
        this.locks = locks; // null: read-only, see readOnly(Path)
    }

    /**
     * Opens an existing store directory for reading only, for tools that must change nothing: the directory is
     * not created, temporary files are left alone, no lock file is created or locked, and {@link #put} and
     * {@link #delete} throw {@link KeepsakeException}. Reads work while a writer has the store open.
     *
     * @param dir the store's directory
     * @return the read-only store
     * @throws StorageException if {@code dir} is not an existing directory
     */
    public static FileStore readOnly(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path absolute = dir.toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(absolute)) {
            throw new StorageException("file:" + absolute + ": no such store directory");
        }
        return new FileStore(absolute, Disk.local(), null);
    }

    /**
     * Reads one entry file of a store directory on its own, checking it whole (header, key, length, CRC32C), for
     * tools handed a single file.
     *
     * @param file an entry file ({@code *.kse})
     * @return the key the file records, and its value and version
     * @throws io.keepsake.CorruptionException if a check fails
     * @throws StorageException                if the file cannot be read
     */
    public static Map.Entry<String, Blob> readEntry(Path file) {
        Objects.requireNonNull(file, "file");
        try (DiskFile in = Disk.local().openRead(file)) {
            EntryFile.Entry entry = EntryFile.read(in, file.toString());
            return Map.entry(entry.key(), new Blob(entry.value(), Long.toString(entry.version())));
        } catch (IOException e) {
            throw new StorageException("cannot read " + file, e);
        }
    }

    /**
     * Opens (creating if needed) a store in {@code dir} on the local file system.
     *
     * @param dir the store's directory; created owner-only if absent
     * @return the open store
     * @throws StorageException if the directory cannot be created or read
     */
    public static FileStore at(Path dir) {
        return at(dir, Disk.local());
    }

    /**
     * Opens (creating if needed) a store in {@code dir}, reading and writing through {@code disk} (for example a
     * fault-injecting disk in tests). Temporary files left by a crash are deleted.
     *
     * @param dir  the store's directory; created owner-only if absent
     * @param disk the file system every data file is read and written through
     * @return the open store
     * @throws StorageException if the directory cannot be created, read or cleaned
     */
    public static FileStore at(Path dir, Disk disk) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(disk, "disk");
        Path absolute = dir.toAbsolutePath().normalize();
        DirectoryLocks locks;
        try {
            disk.createDirectoriesDurably(absolute);
            Path real = absolute.toRealPath();
            locks = DirectoryLocks.open(real);
        } catch (IOException e) {
            throw new StorageException("file:" + absolute + ": cannot open store directory", e);
        }
        FileStore store = new FileStore(absolute, disk, locks);
        try {
            Uninterruptible.call(() -> {
                store.removeTempFiles();
                return null;
            });
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    @Override
    public Optional<Blob> get(String key) {
        StoreKeys.requireValidKey(key);
        ensureOpen();
        return Uninterruptible.call(() -> read(key));
    }

    private Optional<Blob> read(String key) {
        Path file = fileOf(key);
        try (DiskFile in = disk.openRead(file)) {
            EntryFile.Entry entry = EntryFile.read(in, file.toString());
            if (!entry.key().equals(key)) {
                throw new CorruptionException(file.toString(), EntryFile.KEY_OFFSET, "file records key '"
                        + entry.key() + "', expected '" + key + "'");
            }
            return Optional.of(new Blob(entry.value(), Long.toString(entry.version())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException(describe() + ": cannot read " + file, e);
        }
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        StoreKeys.requireValidKey(key);
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expected, "expected");
        ensureWritable();
        return Uninterruptible.call(() -> write(key, value, expected));
    }

    @SuppressWarnings("try") // the held lock is used only for its scope
    private String write(String key, byte[] value, Expected expected) {
        Path file = fileOf(key);
        int stripe = DirectoryLocks.stripeOf(key);
        try (DirectoryLocks.Held held = locks.lock(stripe)) {
            ensureWritable();
            Long current = currentVersion(file, expected.isAny());
            check(key, expected, current);
            long next = current == null || current == Long.MAX_VALUE ? freshVersion() : current + 1;
            Path temp = dir.resolve(EntryNames.TEMP_PREFIX + stripe + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
            writeTemp(temp, key, next, value);
            try {
                disk.move(temp, file);
                disk.forceDirectory(dir);
            } catch (IOException e) {
                deleteQuietly(temp);
                throw failStop("renaming " + temp.getFileName() + " over " + file.getFileName()
                        + " or forcing the directory for key '" + key + "'", e);
            }
            return Long.toString(next);
        } catch (IOException e) {
            throw lockFailure(key, e);
        }
    }

    @Override
    public boolean delete(String key, Expected expected) {
        StoreKeys.requireValidKey(key);
        Objects.requireNonNull(expected, "expected");
        ensureWritable();
        return Uninterruptible.call(() -> remove(key, expected));
    }

    @SuppressWarnings("try") // the held lock is used only for its scope
    private boolean remove(String key, Expected expected) {
        Path file = fileOf(key);
        try (DirectoryLocks.Held held = locks.lock(DirectoryLocks.stripeOf(key))) {
            ensureWritable();
            Long current = currentVersion(file, expected.isAny());
            check(key, expected, current);
            if (current == null) {
                return false;
            }
            try {
                boolean existed = disk.delete(file);
                disk.forceDirectory(dir);
                return existed;
            } catch (IOException e) {
                throw failStop("deleting " + file.getFileName() + " or forcing the directory for key '" + key
                        + "'", e);
            }
        } catch (IOException e) {
            throw lockFailure(key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        StoreKeys.requireValidPrefix(prefix);
        ensureOpen();
        return Uninterruptible.call(() -> scan(prefix));
    }

    private List<String> scan(String prefix) {
        String encodedPrefix = EntryNames.encode(prefix);
        List<String> keys = new ArrayList<>();
        try {
            for (Path path : disk.list(dir)) {
                String name = path.getFileName().toString();
                if (EntryNames.isHashed(name)) {
                    String key = keyRecordedIn(path);
                    if (key != null && key.startsWith(prefix)) {
                        keys.add(key);
                    }
                } else if (name.startsWith(encodedPrefix)) {
                    String key = EntryNames.keyOf(name);
                    if (key != null) {
                        keys.add(key);
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException(describe() + ": cannot list " + dir, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String describe() {
        return "file:" + dir;
    }

    /**
     * Releases this store's share of the directory lock file, after writes in flight in this JVM finish;
     * idempotent. Later calls throw {@link io.keepsake.ClosedException}.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (locks == null) {
            return;
        }
        try {
            locks.release();
        } catch (IOException e) {
            throw new StorageException(describe() + ": cannot close the lock file", e);
        }
    }

    /** @return the entry file of a valid key (package-private for tests) */
    Path fileOf(String key) {
        return dir.resolve(EntryNames.fileName(key));
    }

    private Long currentVersion(Path file, boolean tolerateCorruption) {
        try (DiskFile in = disk.openRead(file)) {
            return EntryFile.readVersion(in, file.toString());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException(describe() + ": cannot read " + file, e);
        } catch (CorruptionException e) {
            if (tolerateCorruption) {
                return Long.MAX_VALUE; // present but unreadable: an unconditional write replaces it
            }
            throw e;
        }
    }

    private KeepsakeException lockFailure(String key, IOException e) {
        if (closed) {
            return new ClosedException("store " + describe());
        }
        return new StorageException(describe() + ": cannot lock or unlock key '" + key + "'", e);
    }

    private void check(String key, Expected expected, Long current) {
        String found = current == null ? null : Long.toString(current);
        if (!expected.matches(found)) {
            throw MemoryStore.conflict(key, expected, found);
        }
    }

    private void writeTemp(Path temp, String key, long version, byte[] value) {
        try (DiskFile out = disk.open(temp, true)) {
            EntryFile.write(out, key, version, value);
            out.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new StorageException(describe() + ": cannot write " + temp + " for key '" + key + "'", e);
        }
    }

    /** Records a failure that leaves the visible state possibly ahead of the durable state. */
    private FailStopException failStop(String what, IOException e) {
        failure = e;
        return new FailStopException(describe() + ": " + what + " failed; the store refuses writes until it is "
                + "reopened", e);
    }

    private String keyRecordedIn(Path path) throws IOException {
        try (DiskFile in = disk.openRead(path)) {
            return EntryFile.readKey(in, path.toString(), in.size());
        } catch (NoSuchFileException e) {
            return null; // deleted since the directory was listed
        }
    }

    @SuppressWarnings("try") // the held lock is used only for its scope
    private void removeTempFiles() {
        try {
            boolean removed = false;
            for (Path path : disk.list(dir)) {
                String name = path.getFileName().toString();
                if (!name.startsWith(EntryNames.TEMP_PREFIX)) {
                    continue;
                }
                int stripe = EntryNames.tempStripe(name);
                if (stripe < 0 || stripe >= DirectoryLocks.STRIPES) {
                    removed |= disk.delete(path);
                    continue;
                }
                try (DirectoryLocks.Held held = locks.lock(stripe)) {
                    removed |= disk.delete(path); // a live writer's file is renamed before it unlocks
                }
            }
            if (removed) {
                disk.forceDirectory(dir);
            }
        } catch (IOException e) {
            throw new StorageException(describe() + ": cannot remove temporary files", e);
        }
    }

    private void deleteQuietly(Path temp) {
        try {
            disk.delete(temp);
        } catch (IOException e) {
            // the temporary file is removed at the next open
        }
    }

    private static long freshVersion() {
        return (System.currentTimeMillis() << 20) | ThreadLocalRandom.current().nextInt(1 << 20);
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedException("store " + describe());
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (locks == null) {
            throw new KeepsakeException(describe() + " is open read-only");
        }
        Throwable cause = failure;
        if (cause != null) {
            throw new FailStopException(describe() + " refuses writes after an earlier failure; reopen it", cause);
        }
    }
}
