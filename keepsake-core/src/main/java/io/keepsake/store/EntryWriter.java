package io.keepsake.store;

import io.keepsake.ClosedException;
import io.keepsake.CorruptionException;
import io.keepsake.FailStopException;
import io.keepsake.KeepsakeException;
import io.keepsake.StorageException;
import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The write side of a writable {@link FileStore}: compare-and-set puts and deletes under the key's stripe lock.
 *
 * <p>An update of a key whose file has the slotted layout ({@link SlottedEntry}) and room for the value writes the
 * slot that does not hold the newest version and fdatasyncs the file: one write and one force, no directory change
 * (the first update to slot 1 grows the file by that slot). Every other put (a new key, a flat file of format
 * version 1, a value that outgrows the slots or is over {@link FlatEntry#IN_PLACE_LIMIT} bytes, a damaged file
 * overwritten unconditionally, a version that would not grow) writes a new file (slotted with slot 0 only, or flat
 * for a value over the limit) as a temporary file, forces it, renames it over the entry file and forces the
 * directory. A delete removes the file and forces the directory.
 *
 * <p>Failures: a failed in-place write only fails its call (a partly written slot fails its CRC32C and the older
 * slot is read), as does a failed temporary file. After a failed in-place force readers may see the new slot, so
 * the slot is withdrawn (overwritten with a record no reader accepts, and forced); if that works only the call
 * fails. A failed withdrawal, rename, delete or directory force may leave what readers see ahead of what is
 * durable, so the store refuses further writes ({@link FailStopException}) until reopened.
 *
 * <p>Concurrency: every change holds its stripe lock ({@link DirectoryLocks}: JVM lock, then OS lock) across
 * read-version, compare and write, so compare-and-set holds across threads and processes. {@code failure} is
 * written under a stripe lock and read without one.
 */
final class EntryWriter {
    private final FileStore owner;
    private final Path dir;
    private final Disk disk;
    private final DirectoryLocks locks;
    private volatile Throwable failure; // set under a stripe lock when a force, rename, delete or dir force failed

    EntryWriter(FileStore owner, Path dir, Disk disk, DirectoryLocks locks) {
        this.owner = owner;
        this.dir = dir;
        this.disk = disk;
        this.locks = locks;
    }

    DirectoryLocks locks() {
        return locks;
    }

    /** @throws FailStopException if an earlier failure left the visible state possibly ahead of the durable one */
    void checkNotFailed() {
        Throwable cause = failure;
        if (cause != null) {
            throw new FailStopException(owner.describe() + " refuses writes after an earlier failure; reopen it",
                    cause);
        }
    }

    /** Runs {@code read} holding the key's stripe lock, so that no writer of any process is half-way through. */
    @SuppressWarnings("try") // the held lock is used only for its scope
    <T> T lockedRead(String key, Supplier<T> read) {
        try (DirectoryLocks.Held held = locks.lock(DirectoryLocks.stripeOf(key))) {
            owner.ensureOpen();
            return read.get();
        } catch (IOException e) {
            throw lockFailure(key, e);
        }
    }

    @SuppressWarnings("try") // the held lock is used only for its scope
    String put(String key, byte[] value, Expected expected) {
        Path file = owner.fileOf(key);
        int stripe = DirectoryLocks.stripeOf(key);
        try (DirectoryLocks.Held held = locks.lock(stripe)) {
            owner.ensureWritable();
            long next;
            try (DiskFile existing = openIfPresent(file, true)) {
                EntryFile.State state = existing == null ? null : state(existing, file, key, expected.isAny());
                Long current = state == null ? null : state.newest() == null ? Long.MAX_VALUE
                        : state.newest().version();
                check(key, expected, current);
                next = current == null || current == Long.MAX_VALUE ? freshVersion() : current + 1;
                if (state != null && state.layout() == EntryFile.SLOTTED && state.newest() != null
                        && next > current && value.length <= state.capacity() - SlottedEntry.SLOT_OVERHEAD
                        && value.length <= FlatEntry.IN_PLACE_LIMIT) {
                    int slot = 1 - state.newestSlot();
                    writeSlot(existing, file, key, slot, slot >= state.slots(), state.capacity(), next, value);
                    return Long.toString(next);
                }
            } catch (IOException e) {
                throw new StorageException(owner.describe() + ": cannot read or close " + file, e);
            }
            replace(file, stripe, key, next, value);
            return Long.toString(next);
        } catch (IOException e) {
            throw lockFailure(key, e);
        }
    }

    @SuppressWarnings("try") // the held lock is used only for its scope
    boolean delete(String key, Expected expected) {
        Path file = owner.fileOf(key);
        try (DirectoryLocks.Held held = locks.lock(DirectoryLocks.stripeOf(key))) {
            owner.ensureWritable();
            Long current;
            try (DiskFile existing = openIfPresent(file, false)) {
                EntryFile.State state = existing == null ? null : state(existing, file, key, expected.isAny());
                current = state == null ? null : state.newest() == null ? Long.MAX_VALUE : state.newest().version();
            } catch (IOException e) {
                throw new StorageException(owner.describe() + ": cannot read or close " + file, e);
            }
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

    /**
     * Overwrites one slot in place and fdatasyncs; the directory entry does not change. With {@code grow} (slot 1 of
     * a file that has only slot 0) the slot is written whole, so the file grows to both slots and the fdatasync
     * makes the grown size durable with the data.
     */
    private void writeSlot(DiskFile out, Path file, String key, int slot, boolean grow, int capacity, long version,
                           byte[] value) {
        try {
            SlottedEntry.writeSlot(out, slot, capacity, version, value, grow);
        } catch (IOException e) {
            throw new StorageException(owner.describe() + ": cannot write slot " + slot + " of " + file
                    + " for key '" + key + "'", e);
        }
        try {
            out.force(false);
        } catch (IOException e) {
            withdraw(out, file, key, slot, capacity, e);
        }
    }

    /**
     * After a failed force of a slot: readers may see a version that is not durable, so overwrite the slot's head
     * with a record no reader accepts (length -1) and force again. If that force succeeds, what readers see and
     * what is durable are the older slot again, and only this call fails; otherwise the store fail-stops.
     */
    private void withdraw(DiskFile out, Path file, String key, int slot, int capacity, IOException cause) {
        ByteBuffer invalid = ByteBuffer.allocate(12).putLong(0, 0).putInt(8, -1);
        try {
            out.write(invalid, SlottedEntry.slotOffset(slot, capacity));
            out.force(false);
        } catch (IOException e) {
            cause.addSuppressed(e);
            throw failStop("forcing slot " + slot + " of " + file.getFileName() + " for key '" + key + "', and then"
                    + " withdrawing it,", cause);
        }
        throw new StorageException(owner.describe() + ": cannot force slot " + slot + " of " + file + " for key '"
                + key + "'; the slot was withdrawn and the key keeps its previous version", cause);
    }

    /**
     * Makes a new file visible whole: temporary file, force, rename, directory force. The file is slotted with slot
     * 0 only, or flat for a value over {@link FlatEntry#IN_PLACE_LIMIT} bytes.
     */
    private void replace(Path file, int stripe, String key, long version, byte[] value) {
        Path temp = dir.resolve(EntryNames.TEMP_PREFIX + stripe + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        try (DiskFile out = disk.open(temp, true)) {
            if (value.length > FlatEntry.IN_PLACE_LIMIT) {
                FlatEntry.writeNew(out, key, version, value);
            } else {
                SlottedEntry.writeNew(out, key, version, value);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new StorageException(owner.describe() + ": cannot write " + temp + " for key '" + key + "'", e);
        }
        try {
            disk.move(temp, file);
            disk.forceDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failStop("renaming " + temp.getFileName() + " over " + file.getFileName()
                    + " or forcing the directory for key '" + key + "'", e);
        }
    }

    private DiskFile openIfPresent(Path file, boolean write) throws IOException {
        try {
            return write ? disk.open(file, false) : disk.openRead(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * @return the file's state; with {@code tolerateCorruption}, a damaged file reads as a state with no newest
     *         entry (present but unreadable: an unconditional write replaces it)
     */
    private EntryFile.State state(DiskFile in, Path file, String key, boolean tolerateCorruption) throws IOException {
        try {
            EntryFile.State state = EntryFile.read(in, file.toString());
            if (state.newest() != null) {
                if (!state.newest().key().equals(key)) {
                    throw new CorruptionException(file.toString(), EntryFile.KEY_OFFSET, "file records key '"
                            + state.newest().key() + "', expected '" + key + "'");
                }
            } else if (!tolerateCorruption) {
                throw new CorruptionException(file.toString(), SlottedEntry.BLOCK, "neither slot passes its CRC32C"
                        + " check");
            }
            return state;
        } catch (CorruptionException e) {
            if (tolerateCorruption) {
                return new EntryFile.State(EntryFile.FLAT, null, -1, 0, 0);
            }
            throw e;
        }
    }

    private void check(String key, Expected expected, Long current) {
        String found = current == null ? null : Long.toString(current);
        if (!expected.matches(found)) {
            throw MemoryStore.conflict(key, expected, found);
        }
    }

    /** Deletes temporary files left by a crash, each under its stripe lock so a live writer's file is never taken. */
    @SuppressWarnings("try") // the held lock is used only for its scope
    void removeTempFiles() {
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
            throw new StorageException(owner.describe() + ": cannot remove temporary files", e);
        }
    }

    /** Records a failure that leaves the visible state possibly ahead of the durable state. */
    private FailStopException failStop(String what, IOException e) {
        failure = e;
        return new FailStopException(owner.describe() + ": " + what + " failed; the store refuses writes until it "
                + "is reopened", e);
    }

    private KeepsakeException lockFailure(String key, IOException e) {
        if (owner.isClosed()) {
            return new ClosedException("store " + owner.describe());
        }
        return new StorageException(owner.describe() + ": cannot lock or unlock key '" + key + "'", e);
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
}
