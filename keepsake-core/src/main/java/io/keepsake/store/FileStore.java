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

/**
 * The embedded {@link Store}: one file per key in one directory, every change forced before it is acknowledged.
 *
 * <p>Files: each key is one entry file. Entry format version 2 ({@code SlottedEntry}) holds a header block with
 * the key and up to two slots, each a version, the value and a CRC32C; a new file has slot 0 only, and the key's
 * first in-place update adds slot 1. Format version 1 ({@code FlatEntry}) holds one version; it is written for
 * values over 64 KiB (a second slot would double their footprint) and read in files written before 2026-12.
 * Keys map to flat file names with {@code /} as {@code ~} and upper case escaped, long keys hashed (see
 * {@code EntryNames}), so no key can reach outside the directory. Files and directories are owner-only. All data
 * access goes through the {@link Disk} given at open.
 *
 * <p>Durability ({@code EntryWriter}): an update of an existing version 2 file overwrites the slot that does not
 * hold the newest version (growing the file by slot 1 the first time) and fdatasyncs the file; a power cut during
 * it leaves the older slot, which is the acknowledged version. Creating a key (and upgrading a version 1 file,
 * growing the slots past their capacity, writing a value over 64 KiB, or overwriting a damaged file) writes a new file as a temporary file, forces it, renames it over the entry file and
 * forces the directory; a delete removes the file and forces the directory. If the rename, the delete or the
 * directory force fails, what readers see may be ahead of what is durable, so the store refuses further writes
 * ({@link FailStopException}) until reopened. A failed write that readers cannot see (a temporary file, or a slot
 * whose CRC32C it leaves broken) only fails that call ({@link StorageException}), and so does a failed in-place
 * force once the slot is withdrawn (overwritten with an invalid record and forced; if that fails too, fail-stop).
 *
 * <p>Concurrency: a read opens the entry file and reads it without a lock: a rename swaps whole files, and a slot
 * written meanwhile fails its CRC32C, so the other slot (the newest complete version) is read. If no slot passes
 * (a reader overlapping two updates, or damage), it reads again holding the key's stripe lock, and only then reports
 * corruption. A put or delete holds its key's stripe lock (see {@code DirectoryLocks}: a lock shared by this JVM's
 * stores on the directory plus an OS lock on the {@code +lock} file) across read-version, compare and write, so
 * compare-and-set holds across threads and processes. Every operation's file work runs on a virtual thread nobody
 * interrupts ({@code Uninterruptible}): NIO closes a channel on interrupt, which would fail a write half-way and
 * fail-stop the store, so an interrupted caller's call completes normally and the caller keeps its interrupt
 * status. At open, temporary files left by a crash are deleted, each under its stripe lock so that a live writer's
 * temporary file is never taken.
 *
 * <p>Versions: a new key starts at {@code (currentTimeMillis << 20) | random 20 bits} and every put adds one, so
 * the token (the decimal number) changes on every put, and a deleted and re-created key gets back a version an
 * old reader may still hold only if the clock went back or, within one millisecond, with odds of about 2^-20
 * per version of the old incarnation. Calls after {@link #close()} throw {@link io.keepsake.ClosedException}.
 */
public final class FileStore implements Store {
    /** Unlocked reads tried before a read-only store reports a file with no valid slot as corrupt. */
    private static final int READ_ONLY_ATTEMPTS = 3;

    private final Path dir;
    private final Disk disk;
    private final EntryWriter writer; // null: read-only, see readOnly(Path)
    private volatile boolean closed; // set once under this (close); read without a lock

    private FileStore(Path dir, Disk disk, DirectoryLocks locks) {
        this.dir = dir;
        this.disk = disk;
        this.writer = locks == null ? null : new EntryWriter(this, dir, disk, locks);
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
     * Reads one entry file of a store directory on its own, checking it whole (header, key, lengths, CRC32C), for
     * tools handed a single file. Of a file with two slots it gives the newest version that passes its checks.
     *
     * @param file an entry file ({@code *.kse})
     * @return the key the file records, and its value and version
     * @throws io.keepsake.CorruptionException if a check fails
     * @throws StorageException                if the file cannot be read
     */
    public static Map.Entry<String, Blob> readEntry(Path file) {
        Objects.requireNonNull(file, "file");
        try (DiskFile in = Disk.local().openRead(file)) {
            EntryFile.Entry entry = EntryFile.readNewest(in, file.toString());
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
                store.writer.removeTempFiles();
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

    /**
     * Reads without a lock; a file whose slots both fail their checks may be one a writer is updating (twice
     * during this read), so it is read again: under the key's stripe lock, or, read-only, a few more times.
     */
    private Optional<Blob> read(String key) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(key);
            } catch (CorruptionException e) {
                if (writer != null) {
                    return writer.lockedRead(key, () -> readOnce(key));
                }
                if (attempt >= READ_ONLY_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Optional<Blob> readOnce(String key) {
        Path file = fileOf(key);
        try (DiskFile in = disk.openRead(file)) {
            EntryFile.Entry entry = EntryFile.readNewest(in, file.toString());
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
        return Uninterruptible.call(() -> writer.put(key, value, expected));
    }

    @Override
    public boolean delete(String key, Expected expected) {
        StoreKeys.requireValidKey(key);
        Objects.requireNonNull(expected, "expected");
        ensureWritable();
        return Uninterruptible.call(() -> writer.delete(key, expected));
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
        if (writer == null) {
            return;
        }
        try {
            writer.locks().release();
        } catch (IOException e) {
            throw new StorageException(describe() + ": cannot close the lock file", e);
        }
    }

    /** @return the entry file of a valid key (package-private for tests) */
    Path fileOf(String key) {
        return dir.resolve(EntryNames.fileName(key));
    }

    boolean isClosed() {
        return closed;
    }

    private String keyRecordedIn(Path path) throws IOException {
        try (DiskFile in = disk.openRead(path)) {
            return EntryFile.readKey(in, path.toString(), in.size());
        } catch (NoSuchFileException e) {
            return null; // deleted since the directory was listed
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new ClosedException("store " + describe());
        }
    }

    void ensureWritable() {
        ensureOpen();
        if (writer == null) {
            throw new KeepsakeException(describe() + " is open read-only");
        }
        writer.checkNotFailed();
    }
}
