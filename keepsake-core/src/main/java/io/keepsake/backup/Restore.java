package io.keepsake.backup;

import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Restores a journal from a backup written by {@link Backup}, starting from the newest backed-up snapshot at or
 * before the target when there is one: the records, in order and byte for byte, into a
 * journal directory that {@code Keepsake.prevalent(..).directory(dir).open()} opens (with the same keys, if the
 * records were encrypted).
 *
 * <pre>{@code
 * RestoreResult result = Restore.from(store, "backup").toSequence(5_000).into(Path.of("restored"));
 * }</pre>
 *
 * <p>Every object is checked (frame and record checksums, sequences) before any of its records is written; a
 * tampered or truncated object ends the run with {@link RestoreStatus#FAILED} and a
 * {@link io.keepsake.CorruptionException} naming it, and nothing after it is written. A run is resumable: run again
 * on the same directory, it continues after the journal's last sequence and never writes a record twice; on a
 * directory that is already current it reports {@link RestoreStatus#NOTHING_NEW}. Not thread-safe; a run holds the
 * target journal's lock.
 */
public final class Restore {
    private final Store store;
    private final String prefix;
    private long toSequence = Long.MAX_VALUE;

    private Restore(Store store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    /**
     * Starts a restore of the backup under {@code prefix}; finish it with {@link #into(Path)}.
     *
     * @param store  the store holding the backup; left open
     * @param prefix the backup's prefix ({@link BackupOptions#prefix()})
     * @return a restore of everything the backup holds, until narrowed by {@link #toSequence}
     */
    public static Restore from(Store store, String prefix) {
        return new Restore(Objects.requireNonNull(store, "store"),
                StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix")));
    }

    /**
     * Restores only up to a point in time given as a sequence, for example to just before a bad event.
     *
     * @param sequence the last sequence to restore, at least 1 (default: the backup's last)
     * @return this restore
     * @throws IllegalArgumentException if {@code sequence} is below 1
     */
    public Restore toSequence(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("toSequence must be at least 1, was " + sequence);
        }
        this.toSequence = sequence;
        return this;
    }

    /**
     * Writes the records into {@code dir/journal} (created if absent), the layout of
     * {@code Keepsake.prevalent(..).directory(dir)}. When that journal is empty and the backup holds snapshots (a
     * prevalent system with a backup copies each one it publishes), the newest snapshot at or before the target is
     * checked whole and written into {@code dir/snapshots} first, and the journal starts after it: the backup's
     * segments before that snapshot are not needed (retention may have deleted them).
     *
     * @param dir the directory of the restored system; its journal is continued if it exists
     * @return how the run ended; failures of the backup or the target are a {@link RestoreStatus#FAILED} result
     */
    public RestoreResult into(Path dir) {
        return new JournalRestorer(store, prefix, toSequence).run(Objects.requireNonNull(dir, "dir"));
    }
}
