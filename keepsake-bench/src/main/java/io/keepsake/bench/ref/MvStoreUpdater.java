package io.keepsake.bench.ref;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore, the embedded store people reach for to keep a small value: one map entry replaced, then
 * {@code commit()} and {@code sync()} (commit alone writes but does not force, so it would not be durable).
 */
final class MvStoreUpdater implements Updater {
    private final MVStore store;
    private final MVMap<String, Long> map;
    private long counter;

    MvStoreUpdater(Path dir) {
        store = new MVStore.Builder().fileName(dir.resolve("mv.db").toString()).autoCommitDisabled().open();
        map = store.openMap("refs");
    }

    @Override
    public String system() {
        return "h2-mvstore";
    }

    @Override
    public void update() {
        map.put("counter", ++counter);
        store.commit();
        store.sync();
    }

    @Override
    public void close() {
        store.close();
    }
}
