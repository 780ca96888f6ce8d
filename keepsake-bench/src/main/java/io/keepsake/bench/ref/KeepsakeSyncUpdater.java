package io.keepsake.bench.ref;

import io.keepsake.Keepsake;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.WriteMode;
import io.keepsake.store.FileStore;
import java.nio.file.Path;

/** A Keepsake {@link DurableRef} of a long counter on a {@link FileStore}, incremented per update. */
final class KeepsakeSyncUpdater implements Updater {
    static final String KEY = "counter";

    /** The bytes of a FileStore slot around its value: version, length, CRC32C. */
    private static final int SLOT_OVERHEAD = 16;

    private final FileStore store;
    private final DurableRef<Long> ref;
    private int bytesPerUpdate; // written by close(), read after it on the same thread

    KeepsakeSyncUpdater(Path dir, WriteMode mode) {
        this.store = FileStore.at(dir);
        this.ref = Keepsake.ref(Long.class).store(store).key(KEY).initial(0L).mode(mode).open();
    }

    DurableRef<Long> ref() {
        return ref;
    }

    /**
     * @return the bytes one update wrote in place when this was closed: the stored value plus the slot's version,
     *         length and CRC32C (FileStore entry format 2)
     */
    int bytesPerUpdate() {
        return bytesPerUpdate;
    }

    /** @return the value a fresh ref reads from the store */
    long stored() {
        try (DurableRef<Long> fresh = Keepsake.ref(Long.class).store(store).key(KEY).initial(-1L).open()) {
            return fresh.get();
        }
    }

    @Override
    public String system() {
        return "keepsake";
    }

    @Override
    public void update() {
        ref.updateAndGet(x -> x + 1);
    }

    @Override
    public void close() {
        bytesPerUpdate = store.get(KEY).map(blob -> blob.value().length + SLOT_OVERHEAD).orElse(0);
        ref.close();
        store.close();
    }
}
