package io.keepsake.ref;

import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Optional;

/** A store that runs a hook before each put (to throw, conflict or block), then forwards to another store. */
final class HookedStore implements Store {
    /** Runs before a put; may throw. */
    interface PutHook {
        void beforePut(String key, byte[] value, Expected expected);
    }

    private final Store inner;
    private volatile PutHook hook = (k, v, e) -> { };

    HookedStore(Store inner) {
        this.inner = inner;
    }

    void onPut(PutHook hook) {
        this.hook = hook;
    }

    @Override
    public Optional<Blob> get(String key) {
        return inner.get(key);
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
        hook.beforePut(key, value, expected);
        return inner.put(key, value, expected);
    }

    @Override
    public boolean delete(String key, Expected expected) {
        return inner.delete(key, expected);
    }

    @Override
    public List<String> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public String describe() {
        return "hooked:" + inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
