package io.keepsake.prevalent;

import io.keepsake.ConflictException;
import io.keepsake.StorageException;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import io.keepsake.store.StoreKeys;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies a prevalent system's snapshot into a backup, under {@code <prefix>/snapshots/<snapshot key>}: every chunk
 * byte for byte first, the manifest last, each a create-only put (an object already there with equal bytes counts
 * as done), so a backed-up manifest always has all its chunks and a rerun copies nothing twice. The in-process
 * backup ({@code backup(store, options)}) copies each snapshot it publishes this way; {@code keepsake backup}, which
 * runs beside the system, copies the newest one with {@link #copyNewest}, so that a backup of a journal whose older
 * segments were pruned after a snapshot can still be restored.
 */
public final class SnapshotCopy {
    private SnapshotCopy() {
    }

    /**
     * Copies the newest snapshot (by its manifest) that {@code snapshots} holds into the backup.
     *
     * @param snapshots the system's snapshot store (for a directory-based system, {@code DIR/snapshots}); only read
     * @param backup    the backup's store
     * @param prefix    the backup's prefix
     * @return the sequence the copied snapshot covers, or 0 if the store holds no snapshot or the system pruned the
     *     newest one while it was being copied (a newer one exists then: run again)
     * @throws StorageException if a store fails, or the backup holds other bytes under one of the snapshot's keys
     * @throws io.keepsake.CorruptionException if the manifest is damaged
     */
    public static long copyNewest(Store snapshots, Store backup, String prefix) {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(backup, "backup");
        StoreKeys.requireValidKey(Objects.requireNonNull(prefix, "prefix"));
        long newest = 0;
        for (String key : snapshots.list(Snapshots.PREFIX)) {
            Long seq = key.endsWith("/" + Snapshots.MANIFEST) ? Snapshots.parseSequence(key) : null;
            if (seq != null && seq > newest) {
                newest = seq;
            }
        }
        return newest > 0 && copy(snapshots, backup, prefix, newest) >= 0 ? newest : 0;
    }

    /** @return the bytes copied, or -1 if the source no longer holds the snapshot (pruned: a newer one exists) */
    static long copy(Store source, Store target, String prefix, long seq) {
        String manifestKey = Snapshots.manifestKey(seq);
        Optional<Blob> manifest = source.get(manifestKey);
        if (manifest.isEmpty()) {
            return -1;
        }
        SnapshotManifest m = SnapshotManifest.parse(manifestKey, manifest.get().value());
        long bytes = 0;
        for (int i = 0; i < m.chunks().size(); i++) {
            Optional<Blob> chunk = source.get(Snapshots.chunkKey(seq, i));
            if (chunk.isEmpty()) {
                return -1;
            }
            put(target, prefix, Snapshots.chunkKey(seq, i), chunk.get().value());
            bytes += chunk.get().value().length;
        }
        put(target, prefix, manifestKey, manifest.get().value()); // last: from here on the backup holds it
        return bytes + manifest.get().value().length;
    }

    private static void put(Store target, String prefix, String key, byte[] value) {
        String to = SnapshotShipper.backupKey(prefix, key);
        try {
            target.put(to, value, Expected.absent());
        } catch (ConflictException e) {
            Optional<Blob> held = target.get(to);
            if (held.isEmpty() || !Arrays.equals(held.get().value(), value)) {
                throw new StorageException(to + " already exists in " + target.describe() + " with other bytes (is "
                        + "another system backing up to this prefix?); it is never overwritten", e);
            }
        }
    }
}
