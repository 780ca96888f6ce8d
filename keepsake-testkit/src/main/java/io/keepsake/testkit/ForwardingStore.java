package io.keepsake.testkit;

import io.keepsake.store.Blob;
import io.keepsake.store.Expected;
import io.keepsake.store.Store;
import java.util.List;
import java.util.Optional;

/**
 * A store that passes every call to another but ignores {@link #close()}: the inner store belongs to the test, as
 * a server outlives its clients. The base of the test decorators in this kit; usable as is wherever a component
 * closes a store the test still needs.
 */
public class ForwardingStore implements Store {
    private final Store inner;

    /** @param inner the store every call goes to */
    public ForwardingStore(Store inner) {
        this.inner = inner;
    }

    @Override
    public Optional<Blob> get(String key) {
        return inner.get(key);
    }

    @Override
    public String put(String key, byte[] value, Expected expected) {
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
        return inner.describe();
    }

    /** Does nothing: the inner store belongs to the test's lifecycle. */
    @Override
    public void close() {
    }
}
