package io.keepsake.backup;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.prevalent.SnapshotTools;
import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a {@link BackupRetention} to a backup, on the caller's thread.
 *
 * <p>Design: one LIST of the snapshot copies and one of the segments decide everything. The oldest snapshot the
 * retention keeps is S; every newer snapshot is kept too. Before anything is deleted, S's folder must list every
 * chunk its manifest names: a restore from S must stay possible. Then, oldest first: each older snapshot's manifest,
 * then the rest of its folder (a manifest never points at a missing chunk, since it goes first); then folders below
 * S without a manifest (the leftovers of a run cut short); then, oldest first, the segments wholly at or before S
 * (their records are all in S), so the segments left always chain up from S. A run cut short at any step is
 * finished by the next one, and a run with nothing to do deletes nothing. With no backed-up snapshot nothing is ever
 * deleted. Folders at or above S without a manifest are left alone: one may be a copy still in progress.
 */
final class BackupRetainer {
    private final Store store;
    private final String prefix;
    private final BackupRetention retention;
    private final Instant now;

    BackupRetainer(Store store, String prefix, BackupRetention retention, Instant now) {
        this.store = store;
        this.prefix = prefix;
        this.retention = retention;
        this.now = now;
    }

    RetentionResult run(boolean dryRun) {
        SnapshotCopies copies = SnapshotCopies.list(store, prefix);
        List<SegmentName> segments = SegmentName.list(store, prefix);
        List<Long> published = copies.published();
        if (published.isEmpty()) {
            return new RetentionResult(List.of(), List.of(), 0, 0, window(0, null, segments), dryRun);
        }
        List<Instant> times = new ArrayList<>();
        List<Integer> chunks = new ArrayList<>();
        for (long seq : published) {
            SnapshotTools.SnapshotCheck manifest = readManifest(copies.manifestKey(seq));
            times.add(timeOf(manifest));
            chunks.add(manifest.chunks());
        }
        int oldest = oldestKept(times);
        long keptFrom = published.get(oldest);
        requireComplete(copies, keptFrom, chunks.get(oldest));

        List<Long> dropped = published.subList(0, oldest);
        List<Long> kept = published.subList(oldest, published.size());
        int objects = 0;
        for (long seq : dropped) {
            String manifest = copies.manifestKey(seq);
            objects += delete(manifest, dryRun) ? 1 : 0; // first: from here on the snapshot does not exist
            for (String key : copies.folders().get(seq)) {
                if (!key.equals(manifest)) {
                    objects += delete(key, dryRun) ? 1 : 0;
                }
            }
        }
        Set<Long> droppedSet = new HashSet<>(dropped);
        for (Map.Entry<Long, List<String>> folder : copies.folders().headMap(keptFrom).entrySet()) {
            if (!droppedSet.contains(folder.getKey())) {
                for (String key : folder.getValue()) { // leftovers of a snapshot an earlier run deleted
                    objects += delete(key, dryRun) ? 1 : 0;
                }
            }
        }
        int deletedSegments = 0;
        List<SegmentName> left = new ArrayList<>();
        for (SegmentName name : segments) {
            if (name.last() <= keptFrom) {
                if (delete(name.key(), dryRun)) {
                    objects++;
                    deletedSegments++;
                }
            } else {
                left.add(name);
            }
        }
        return new RetentionResult(kept, dropped, deletedSegments, objects,
                window(keptFrom, times.get(oldest), left), dryRun);
    }

    /** @return the index of the oldest snapshot kept; snapshots are sorted oldest first and the newest is kept */
    private int oldestKept(List<Instant> times) {
        int n = times.size();
        int oldest = Math.max(0, n - retention.keepSnapshots());
        if (!retention.keepWithin().isZero()) {
            Instant cutoff = now.minus(retention.keepWithin());
            int base = 0; // the newest at or before the cutoff starts a restore to the cutoff; none: keep them all
            for (int i = n - 1; i >= 0; i--) {
                if (!times.get(i).isAfter(cutoff)) {
                    base = i;
                    break;
                }
            }
            oldest = Math.min(oldest, base);
        }
        return oldest;
    }

    private SnapshotTools.SnapshotCheck readManifest(String key) {
        byte[] bytes = store.get(key).map(Blob::value).orElseThrow(() -> new StorageException(key
                + " was listed in " + store.describe() + " but is gone (is another retention running?)"));
        return SnapshotTools.readManifest(key, bytes);
    }

    private static Instant timeOf(SnapshotTools.SnapshotCheck manifest) {
        try {
            return Instant.parse(manifest.lastTime());
        } catch (DateTimeException | NullPointerException e) {
            return Instant.MIN; // no event time recorded: as old as can be
        }
    }

    /** @throws CorruptionException naming the first chunk of the snapshot's copy that is not there */
    private void requireComplete(SnapshotCopies copies, long seq, int chunkCount) {
        Set<String> held = new HashSet<>(copies.folders().get(seq));
        for (int i = 0; i < chunkCount; i++) {
            String chunk = copies.chunkKey(seq, i);
            if (!held.contains(chunk)) {
                throw new CorruptionException(chunk, 0, "snapshot chunk missing from the backup in "
                        + store.describe() + "; retention would keep this snapshot as the oldest, so it deletes "
                        + "nothing");
            }
        }
    }

    private boolean delete(String key, boolean dryRun) {
        return dryRun || store.delete(key, Expected.any());
    }

    /** @return how far a restore reaches from {@code first} over {@code segments}, or empty if it cannot start */
    private static Optional<RestoreWindow> window(long first, Instant firstTime, List<SegmentName> segments) {
        long next = first + 1;
        for (SegmentName name : segments) {
            if (name.last() < next) {
                continue;
            }
            if (name.first() > next) {
                break;
            }
            next = name.last() + 1;
        }
        if (first == 0 && next == 1) {
            return Optional.empty();
        }
        return Optional.of(new RestoreWindow(first, firstTime, next - 1));
    }
}
