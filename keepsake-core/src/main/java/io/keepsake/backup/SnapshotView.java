package io.keepsake.backup;

import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of some keys of a backup store under a base (such as {@code backup/snapshots/}), as keys without
 * the base: what {@link io.keepsake.prevalent.SnapshotTools#checkStore} needs to check one backed-up snapshot where
 * it is, reading one object at a time. Counts the bytes it hands out. Closing it leaves the store open.
 */
final class SnapshotView implements Store {
    private static final String SNAP = "snap-";

    private final Store store;
    private final String base;
    private final List<String> keys;
    private long bytesRead;

    /**
     * @param store the backup store
     * @param base  the folder the keys are under
     * @param keys  the keys the view lists, relative to {@code base}
     */
    SnapshotView(Store store, String base, List<String> keys) {
        this.store = store;
        this.base = base;
        this.keys = List.copyOf(keys);
    }

    /** @return the sequence of the snapshot a key relative to the snapshot folder belongs to, or null */
    static Long sequenceOf(String local) {
        int slash = local.indexOf('/');
        if (!local.startsWith(SNAP) || slash != SNAP.length() + 20) {
            return null;
        }
        try {
            return Long.parseLong(local.substring(SNAP.length(), slash));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public Optional<Blob> get(String key) {
        Optional<Blob> blob = store.get(base + key);
        blob.ifPresent(b -> bytesRead += b.value().length);
        return blob;
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        throw new UnsupportedOperationException("a view of a backup is read-only");
    }

    @Override
    public boolean delete(String key, Expected expected) {
        throw new UnsupportedOperationException("a view of a backup is read-only");
    }

    @Override
    public List<String> list(String prefix) {
        return keys.stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public String describe() {
        return store.describe() + " under " + base;
    }

    @Override
    public void close() {
        // the backup store stays open: its owner closes it
    }
}
