package io.keepsake.backup;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.prevalent.EventPayloads;
import io.keepsake.prevalent.SnapshotTools;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores the newest backed-up snapshot at or before a target sequence (and time) into a prevalent system's snapshot
 * directory. A prevalent system copies each snapshot to {@code <prefix>/snapshots/snap-<sequence, 20 digits>/...}
 * (its chunks, then its manifest); this class finds the newest manifest there, fetches the whole snapshot, checks it
 * whole with {@link SnapshotTools#checkStore} (manifest, then each chunk's size, CRC32C, header, index and length)
 * before writing anything, then writes the chunks and, last, the manifest into a {@link FileStore}. Runs on the
 * caller's thread; holds the snapshot in memory while it checks it.
 */
final class SnapshotRestore {
    private static final String FOLDER = "/snapshots/";
    private static final String SNAP = "snap-";
    private static final String MANIFEST = "/manifest";

    private SnapshotRestore() {
    }

    /**
     * Picks the snapshot a restore starts from. With a time bound it reads manifests, newest first (each is small and
     * never encrypted), for the time of the last event each includes: that time is the latest of all the snapshot's
     * events (replay gives each event the latest time so far), so a snapshot at or before {@code toTime} holds no
     * event after it, and the restore's cut (the first record executed after {@code toTime}) lies after it.
     *
     * @param toTime the time bound, or null
     * @return the newest backed-up snapshot's sequence at or before {@code toSequence} (and {@code toTime}), or 0 if
     *     there is none
     * @throws StorageException    if the store cannot be listed or read
     * @throws CorruptionException naming a manifest that fails its checks
     */
    static long newest(Store store, String prefix, long toSequence, Instant toTime) {
        String base = prefix + FOLDER;
        List<Long> found = new ArrayList<>();
        for (String key : store.list(base)) {
            String rest = key.substring(base.length());
            if (!rest.startsWith(SNAP) || !rest.endsWith(MANIFEST) || rest.length() != SNAP.length() + 20
                    + MANIFEST.length()) {
                continue;
            }
            try {
                long seq = Long.parseLong(rest.substring(SNAP.length(), SNAP.length() + 20));
                if (seq <= toSequence && seq > 0) {
                    found.add(seq);
                }
            } catch (NumberFormatException e) {
                // not a snapshot copy; ignored like any other foreign key
            }
        }
        found.sort(Comparator.reverseOrder());
        for (long seq : found) {
            if (toTime == null) {
                return seq;
            }
            String key = manifestKey(prefix, seq);
            Optional<Blob> manifest = store.get(key);
            if (manifest.isPresent() && !EventPayloads.snapshotTime(manifest.get().value(), key).isAfter(toTime)) {
                return seq;
            }
        }
        return 0;
    }

    private static String manifestKey(String prefix, long sequence) {
        return prefix + FOLDER + String.format("%s%020d", SNAP, sequence) + MANIFEST;
    }

    /**
     * Fetches, checks and writes the snapshot covering {@code sequence} into {@code snapshotDir}.
     *
     * @throws CorruptionException naming the backup's object, if any object of the snapshot is damaged or missing;
     *     nothing is written then
     * @throws StorageException if the backup store or the directory fails
     */
    static void restore(Store store, String prefix, long sequence, Path snapshotDir) {
        String dir = prefix + FOLDER + String.format("%s%020d/", SNAP, sequence);
        Map<String, byte[]> objects = new LinkedHashMap<>(); // key in the system's store -> value
        try (Store check = Store.memory()) {
            for (String key : store.list(dir)) {
                byte[] value = store.get(key).map(Blob::value).orElseThrow(() -> new StorageException(key
                        + " was listed in " + store.describe() + " but is gone"));
                String local = key.substring(prefix.length() + FOLDER.length());
                objects.put(local, value);
                check.put(local, value, Expected.any());
            }
            String manifest = dir.substring(prefix.length() + FOLDER.length()) + MANIFEST.substring(1);
            if (!objects.containsKey(manifest)) {
                throw new CorruptionException(prefix + FOLDER + manifest, 0, "snapshot manifest vanished");
            }
            SnapshotTools.StoreCheck checked = SnapshotTools.checkStore(check);
            for (SnapshotTools.SnapshotCheck snapshot : checked.snapshots()) {
                if (snapshot.corruption() != null) {
                    CorruptionException c = snapshot.corruption();
                    String head = c.file() + " at offset " + c.offset() + ": ";
                    String what = c.getMessage().startsWith(head) ? c.getMessage().substring(head.length())
                            : c.getMessage();
                    throw new CorruptionException(prefix + FOLDER + c.file(), c.offset(), what + " (backed-up "
                            + "snapshot " + sequence + " in " + store.describe() + ")");
                }
                if (snapshot.problem() != null) {
                    throw new StorageException("backed-up snapshot " + sequence + " in " + store.describe()
                            + " cannot be checked: " + snapshot.problem());
                }
            }
            if (checked.problem() != null) {
                throw new StorageException("backed-up snapshot " + sequence + " cannot be checked: "
                        + checked.problem());
            }
            List<String> chunks = new ArrayList<>(objects.keySet());
            chunks.remove(manifest);
            try (FileStore target = FileStore.at(snapshotDir)) {
                for (String key : chunks) {
                    target.put(key, objects.get(key), Expected.any());
                }
                target.put(manifest, objects.get(manifest), Expected.any()); // last: the snapshot now exists
            }
        }
    }
}
